import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BicepSyntaxError } from '../src/bicep/errors.ts';
import { parseBicep } from '../src/bicep/parser.ts';
import { bodyObject, literal, property, render } from '../src/bicep/query.ts';
import { loadInfra } from '../src/infra-files.ts';
import { infraDir, repoRoot } from './fixture.ts';

describe('parseBicep', () => {
  it('parses every .bicep file under infra/', () => {
    const infra = loadInfra({ infraDir, repoRoot });
    expect([...infra.files.keys()]).toContain('core/security/role.bicep');
    expect(infra.main.targetScope).toBe('subscription');
  });

  it("gives nested child resources their full type and the parent's api version", () => {
    const storage = parseBicep(
      readFileSync(join(infraDir, 'core/storage/storage.bicep'), 'utf8'),
      'storage.bicep',
    );
    expect(
      storage.resources.map((resource) => `${resource.type}@${resource.apiVersion}`),
    ).toContain('Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01');
  });

  it('reads decorators, defaults, conditions, loops and interpolated strings', () => {
    const file = parseBicep(
      [
        "@allowed(['a', 'b'])",
        "param mode string = 'a'",
        "var names = [for (n, i) in range(0, 2): 'x-${n}-${i}']",
        "module m 'm.bicep' = if (mode == 'a') {",
        "  name: 'm'",
        '  params: { value: empty(mode) ? null : { nested: true } }',
        '}',
        'output out string = names[0]',
      ].join('\n'),
      'sample.bicep',
    );
    expect(literal(file.params[0]?.decorators[0]?.args[0])).toEqual(['a', 'b']);
    expect(render(file.variables[0]?.value)).toBe("[for (n, i) in range(0, 2): 'x-${n}-${i}']");
    const module = file.modules[0]!;
    expect(module.value.kind).toBe('if');
    expect(render(property(bodyObject(module.value), 'params.value'))).toBe(
      'empty(mode) ? null : { nested: true }',
    );
    expect(render(file.outputs[0]?.value)).toBe('names[0]');
  });

  it('refuses Bicep outside the subset it parses, naming file and line, instead of skipping it', () => {
    expect(() => parseBicep('param a string\ntype pair = { a: string }\n', 'types.bicep')).toThrow(
      /types\.bicep:2: 'type' statements are not supported.*extend infra\/src\/bicep\/parser\.ts/,
    );
  });

  it('reports an unterminated string with its line', () => {
    expect(() => parseBicep("var a = 'open\nvar b = 1\n", 'broken.bicep')).toThrow(
      BicepSyntaxError,
    );
    expect(() => parseBicep("var a = 'open\n", 'broken.bicep')).toThrow(
      /broken\.bicep:1: unterminated string/,
    );
  });

  it('reports two properties on one line without a comma', () => {
    expect(() => parseBicep('var a = {\n  b: 1 c: 2\n}\n', 'object.bicep')).toThrow(
      /object\.bicep:2: expected the end of the line/,
    );
  });
});

describe('render', () => {
  it('keeps nested-resource and safe-access operators apart from plain property access', () => {
    const file = parseBicep(
      "output a string = account::queueService::queue.id\noutput b string = settings.?name ?? 'none'\n",
      'access.bicep',
    );
    expect(file.outputs.map((output) => render(output.value))).toEqual([
      'account::queueService::queue.id',
      "settings.?name ?? 'none'",
    ]);
  });
});
