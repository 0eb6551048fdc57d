/**
 * A generation that fails part-way leaves no trace: a forced failure after the Nth write (new
 * files, the link, a shared-file edit, the last step), an interrupt (SIGINT) while writing, and a
 * template that does not render. Each time `git status` and every file's bytes are as before.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeServiceName } from './free-service.ts';
import { copyWorkspace } from './workspace-copy.ts';
import type { WorkspaceCopy } from './workspace-copy.ts';

let copy: WorkspaceCopy;
let pristine: string;
let totalWrites: number;
// The dry run's list, in the order the writes happen: where each kind of write sits.
let planned: string[];
const positionOf = (prefix: string) => planned.findIndex((line) => line.startsWith(prefix)) + 1;
// A valid name no existing service uses, so each run gets as far as the failure it forces.
let name: string;

beforeAll(async () => {
  copy = await copyWorkspace();
  pristine = await copy.fingerprint();
  name = freeServiceName(copy.root, 'billing');
  const dryRun = await copy.gen(['service', name, 'api', '--dry-run']);
  totalWrites = Number(/would write (\d+) changes/.exec(dryRun.stdout)?.[1]);
  planned = dryRun.stdout
    .split('\n')
    .filter((line) => /^ {2}(create|link|modify|update) /.test(line))
    .map((line) => line.trim());
}, 120_000);

afterAll(async () => {
  await copy?.remove();
});

describe('a generation that fails part-way', () => {
  it('plans more than a handful of writes (so the cases below fail in different places)', () => {
    expect(totalWrites).toBeGreaterThan(10);
    expect(planned).toHaveLength(totalWrites);
  });

  it.each([
    ['the first new file', () => 1],
    ['half-way through the new files', () => Math.floor(positionOf('link') / 2)],
    ['the node_modules link', () => positionOf('link')],
    ['the services.json entry', () => positionOf('modify  services.json')],
    ['npm’s lockfile update', () => positionOf('update  package-lock.json')],
    ['the very last step (nx sync or later)', () => totalWrites],
  ])(
    'rolls back everything when a write fails at %s',
    async (_where, writes) => {
      const result = await copy.gen(['service', name, 'api'], {
        KEYLESS_GEN_FAIL_AFTER_WRITES: String(writes()),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Generation failed after \d+ of \d+ writes/);
      expect(result.stderr).toContain('every change was rolled back');
      expect(await copy.fingerprint()).toBe(pristine);
    },
    300_000,
  );

  it('rolls back and exits 130 when interrupted with SIGINT while writing', async () => {
    const result = await copy.gen(['service', name, 'worker'], {
      KEYLESS_GEN_INTERRUPT_AFTER_WRITES: '12',
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Generation interrupted after 12 of \d+ writes/);
    expect(await copy.fingerprint()).toBe(pristine);
  }, 60_000);

  it('writes nothing when a template fails to render, and names the template', async () => {
    const broken = join(copy.root, 'templates/api/src/broken.ts.hbs');
    writeFileSync(broken, '{{#if description}} never closed\n');
    await copy.run('git', ['add', '-A']);
    await copy.run('git', ['commit', '-q', '-m', 'a broken template']);
    const before = await copy.fingerprint();
    const result = await copy.gen(['service', name, 'api']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The template api/src/broken.ts.hbs failed to render');
    expect(await copy.fingerprint()).toBe(before);
  }, 60_000);

  it('does change the fingerprint when nothing fails (so the checks above can fail)', async () => {
    await copy.run('git', ['rm', '-q', 'templates/api/src/broken.ts.hbs']);
    await copy.run('git', ['commit', '-q', '-m', 'template fixed']);
    const before = await copy.fingerprint();
    const result = await copy.gen(['service', name, 'api']);
    expect(result.code).toBe(0);
    expect(await copy.fingerprint()).not.toBe(before);
  }, 300_000);
});
