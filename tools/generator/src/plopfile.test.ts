import { join } from 'node:path';
import nodePlop from 'node-plop';
import { describe, expect, it } from 'vitest';
import { freeServiceName } from '../test/free-service.ts';
import { defaultRoot, registerServiceGenerator } from './plopfile.ts';

interface NamePrompt {
  validate: (input: string) => true | string;
  transformer: (input: string, answers: unknown, flags: { isFinal?: boolean }) => string;
}

async function serviceGenerator() {
  const plop = await nodePlop(undefined, { destBasePath: defaultRoot, force: false });
  // Planning only reads the workspace; dryRun guarantees nothing is written.
  registerServiceGenerator(plop, { root: defaultRoot, dryRun: true, log: () => undefined });
  return plop.getGenerator('service');
}

describe('the service generator’s prompts', () => {
  it('asks for name, kind and description, in that order, and nothing else', async () => {
    const generator = await serviceGenerator();
    const prompts = generator.prompts as unknown as Array<{ name: string }>;
    expect(prompts.map((prompt) => prompt.name)).toEqual(['name', 'kind', 'description']);
  });

  it('validates the name as it is typed, saying what is wrong before Enter', async () => {
    const [name] = (await serviceGenerator()).prompts as unknown as [NamePrompt];
    expect(name.transformer('Bil', {}, {})).toMatch(/^Bil {2}✗ "Bil" has uppercase letters/);
    // A valid name that no service in this workspace uses yet (a user may have generated "billing").
    const free = freeServiceName(defaultRoot, 'billing');
    expect(name.transformer(free, {}, {})).toBe(`${free}  ✓`);
    expect(name.transformer(free, {}, { isFinal: true })).toBe(free);
    expect(name.validate('api')).toMatch(/already exists/);
    expect(name.validate(free)).toBe(true);
  });

  it('rejects a bypassed name that is not valid, with the reason', async () => {
    const generator = await serviceGenerator();
    await expect(generator.runPrompts(['api', 'api', 'x'])).rejects.toThrow(/already exists/);
  });

  it('plans a dry run from bypassed answers without writing anything', async () => {
    const lines: string[] = [];
    const plop = await nodePlop(undefined, { destBasePath: defaultRoot, force: false });
    registerServiceGenerator(plop, {
      root: defaultRoot,
      dryRun: true,
      log: (line) => lines.push(line),
      templatesDir: join(defaultRoot, 'templates'),
    });
    const generator = plop.getGenerator('service');
    const zeta = freeServiceName(defaultRoot, 'zeta');
    const answers = (await generator.runPrompts([zeta, 'worker', 'Zeta'])) as object;
    const result = await generator.runActions(answers);
    expect(result.failures).toEqual([]);
    expect(lines[0]).toMatch(/^Dry run: would write \d+ changes \(nothing was written\):$/);
    expect(lines).toContain(`  create  apps/${zeta}/package.json`);
    expect(lines).toContain('  modify  services.json');
  }, 60_000);
});
