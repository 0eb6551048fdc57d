/**
 * Bad input, run as a user would (`npm run gen -- …` without a terminal) in a copy of the
 * workspace: each is refused with what is wrong and what would be accepted, exit 1, and the
 * workspace is left exactly as it was. A dry run lists everything and changes nothing either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeServiceName } from './free-service.ts';
import { copyWorkspace } from './workspace-copy.ts';
import type { WorkspaceCopy } from './workspace-copy.ts';

let copy: WorkspaceCopy;
let pristine: string;
// A valid name no existing service uses, so only the part under test can be refused.
let name: string;

beforeAll(async () => {
  copy = await copyWorkspace();
  pristine = await copy.fingerprint();
  name = freeServiceName(copy.root, 'billing');
}, 120_000);

afterAll(async () => {
  await copy?.remove();
});

describe('npm run gen with bad input', () => {
  it.each([
    ['Billing', /has uppercase letters.*lowercase letters, digits and single hyphens/],
    ['9lives', /does not start with a letter/],
    ['billing-', /ends with a hyphen/],
    ['bill_ing', /has "_" in it/],
    ['bill--ing', /two hyphens in a row/],
    ['b', /"b" is 1 character long;.*2-15 characters.*32/],
    ['a-very-long-name', /16 characters long/],
    ['api', /already exists in this workspace/],
    ['worker', /already exists in this workspace/],
    ['auth', /already exists|reserved/],
    ['infra', /already exists|reserved/],
    ['templates', /reserved/],
    ['test', /reserved/],
    ['my-windows', /contains "windows".*ReservedResourceName/],
  ])('refuses the name %s, says why, and writes nothing', async (badName, message) => {
    const result = await copy.gen(['service', badName, 'api']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await copy.fingerprint()).toBe(pristine);
  });

  it('refuses an unknown kind and names the kinds there are', async () => {
    const result = await copy.gen(['service', name, 'cron']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The kind is "cron"; use one of: api, worker');
    expect(await copy.fingerprint()).toBe(pristine);
  });

  it('refuses a missing kind', async () => {
    const result = await copy.gen(['service', name]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The kind is missing');
  });

  it('says to pass the name and kind when there is no terminal to prompt on', async () => {
    const result = await copy.gen([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No terminal to prompt on');
    expect(await copy.fingerprint()).toBe(pristine);
  });

  it.each([
    ['--colour', '--colour'],
    ['--embeddings', '--embeddings'],
    ['--embeddings=yes', '--embeddings'],
    ['-x', '-x'],
  ])(
    'refuses the unknown option %s by name, says which options there are, and writes nothing',
    async (argument, option) => {
      const result = await copy.gen(['service', name, 'api', argument]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Unknown option ${option}: npm run gen takes only --description, --dry-run, --cwd, --help. Remove it and run again.`,
      );
      expect(result.stderr).toContain('Usage:');
      expect(result.stdout).toBe('');
      expect(await copy.fingerprint()).toBe(pristine);
    },
  );

  it('no longer lists --embeddings in its usage', async () => {
    const result = await copy.gen(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--description <text>');
    expect(result.stdout).not.toContain('embeddings');
  });
});

describe('npm run gen --dry-run', () => {
  it('lists every file it would create or change and changes nothing', async () => {
    const result = await copy.gen(['service', name, 'worker', '--dry-run']);
    expect(result.code).toBe(0);
    const listed = result.stdout
      .split('\n')
      .filter((line) => /^ {2}(create|modify|link|update) /.test(line))
      .map((line) => line.trim().split(/\s+/)[1]);
    expect(listed).toEqual(
      expect.arrayContaining([
        `apps/${name}/package.json`,
        `apps/${name}/src/main.ts`,
        `apps/${name}/Dockerfile`,
        `node_modules/@keyless/${name}`,
        'services.json',
        'azure.yaml',
        'README.md',
        'package-lock.json',
        'tsconfig.json',
      ]),
    );
    // Derived from services.json where they are used, so never written by the generator.
    expect(result.stdout).not.toMatch(
      /identities\.json|role-assignments\.json|main\.bicep|main\.parameters\.json/,
    );
    expect(result.stdout).toContain('nothing was written');
    expect(await copy.fingerprint()).toBe(pristine);
  }, 60_000);
});
