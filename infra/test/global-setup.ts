import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { noBicepHint } from '../src/cli/locate.ts';
import { infraDir, locateRepoBicep } from '../src/bin/repo-bicep.ts';
import { snapshot } from '../src/cli/run.ts';
import { placeholderDeployer, placeholderTarget, verifyInfra } from '../src/verify.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the Bicep CLI, or '' when this machine has none (the compile checks then do not run). */
    bicepPath: string;
    /** `bicep --version`, or '' without a CLI. */
    bicepVersion: string;
    /** JSON file with the repository's infra verified once for every test file ('' without a CLI). */
    verificationFile: string;
  }
}

/**
 * Finds (or restores) the Bicep CLI, then compiles, lints and evaluates the repository's infra
 * once for all test files: a real compile takes seconds, so it is not repeated per file.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cli = locateRepoBicep();
  if (cli === undefined) {
    // Never silently: one line saying what did not run and how to get the CLI.
    console.log(noBicepHint);
    project.provide('bicepPath', '');
    project.provide('bicepVersion', '');
    project.provide('verificationFile', '');
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'keyless-infra-verified-'));
  const [verification, withoutAppIds] = await Promise.all([
    verifyInfra(cli.path, { infraDir }),
    // As for a deployer who could not create app registrations: every api internal.
    snapshot(cli.path, join(infraDir, 'main.bicep'), {
      ...placeholderTarget,
      params: {
        environmentName: 'check',
        location: placeholderTarget.location,
        principalId: placeholderDeployer.principalId,
      },
    }),
  ]);
  const file = join(dir, 'verification.json');
  writeFileSync(file, JSON.stringify({ verification, withoutAppIds }));
  project.provide('bicepPath', cli.path);
  project.provide(
    'bicepVersion',
    execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim(),
  );
  project.provide('verificationFile', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
