import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInfra } from '../src/infra-files.ts';
import { discoverServices } from '../src/services.ts';
import { copyRepo, write } from './fixture.ts';

describe('reading the repository', () => {
  it('discovers the services from the keyless fields in apps/*/package.json', () => {
    const copy = copyRepo();
    // Generated services join these two; the samples must always be among them.
    expect(discoverServices(copy.repoRoot)).toEqual(
      expect.arrayContaining([
        { name: 'api', kind: 'api', port: 3000 },
        { name: 'worker', kind: 'worker', port: 3001 },
      ]),
    );
  });

  it('refuses a keyless field with an unknown kind, saying what it expects', () => {
    const copy = copyRepo();
    write(
      copy.repoRoot,
      'apps/cron/package.json',
      JSON.stringify({ keyless: { kind: 'timer', port: 3005 } }),
    );
    expect(() => discoverServices(copy.repoRoot)).toThrow(
      'apps/cron/package.json has keyless: {"kind":"timer","port":3005}; expected { "kind": "api" | "worker", "port": <number> }.',
    );
  });

  it('says where main.bicep should be when it is missing', () => {
    const copy = copyRepo();
    rmSync(join(copy.infraDir, 'main.bicep'));
    expect(() => loadInfra(copy)).toThrow(
      /main\.bicep is missing; azd provisions infra\/main\.bicep/,
    );
  });

  it('names the file and line of Bicep it cannot parse', () => {
    const copy = copyRepo();
    write(
      copy.repoRoot,
      'infra/core/extra.bicep',
      'param a string\nfunc double(x int) int => x * 2\n',
    );
    expect(() => loadInfra(copy)).toThrow(
      /core\/extra\.bicep:2: 'func' statements are not supported/,
    );
  });
});
