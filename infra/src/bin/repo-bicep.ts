// The Bicep CLI of this repository's own commands and tests: found in the documented order
// (BICEP_PATH, PATH, ~/.azure/bin, ~/.azd/bin), else restored from NuGet into the git-ignored
// infra/.bicep-cli. Read here, at the edge, because it reads the process's environment.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { locateBicep, noBicepHint, type BicepCli } from '../cli/locate.ts';

/** This repository's infra/ folder. */
export const infraDir = join(import.meta.dirname, '..', '..');

/** The CLI, or undefined when this machine has none. */
export function locateRepoBicep(): BicepCli | undefined {
  return locateBicep({ env: process.env, home: homedir(), cacheDir: join(infraDir, '.bicep-cli') });
}

/** The CLI for a command that cannot run without one: without it, the hint and exit 1. */
export function requireRepoBicep(): BicepCli {
  const cli = locateRepoBicep();
  if (cli === undefined) {
    console.error(noBicepHint);
    process.exit(1);
  }
  return cli;
}
