import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import type { Snapshot } from '../src/cli/run.ts';
import type { Verification } from '../src/verify.ts';

export const infraDir = join(import.meta.dirname, '..');
export const repoRoot = join(infraDir, '..');

/** The Bicep CLI found by test/global-setup.ts; '' when none (those suites then do not run). */
export const bicepPath = inject('bicepPath');
export const bicepVersion = inject('bicepVersion');

/** The repository's infra as test/global-setup.ts compiled, linted and evaluated it (once per run). */
export function verified(): { verification: Verification; withoutAppIds: Snapshot } {
  return JSON.parse(readFileSync(inject('verificationFile'), 'utf8')) as {
    verification: Verification;
    withoutAppIds: Snapshot;
  };
}

const skipped = new Set(['node_modules', '.bicep-cli', 'out-tsc', 'test', 'src']);

/**
 * A scratch copy of infra/ and services.json in a temp folder, to break one thing in. `edit`
 * replaces text in a file (relative to the copy's root) and fails when the text is not there, so
 * a test can never pass by editing nothing.
 */
export function scratchCopy(): {
  root: string;
  infraDir: string;
  edit: (file: string, from: string, to: string) => void;
  remove: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'keyless-infra-'));
  cpSync(infraDir, join(root, 'infra'), {
    recursive: true,
    filter: (source) => !skipped.has(basename(source)) || source === infraDir,
  });
  cpSync(join(repoRoot, 'services.json'), join(root, 'services.json'));
  return {
    root,
    infraDir: join(root, 'infra'),
    edit(file, from, to) {
      const path = join(root, file);
      const text = readFileSync(path, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      writeFileSync(path, text.replace(from, to));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
