import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseBicep } from './bicep/parser.ts';
import type { BicepFile } from './bicep/syntax.ts';

/** Where the checks read from: the infra folder and the repository around it. */
export interface InfraLocation {
  /** The repository root (azure.yaml, apps/, packages/local-azure/config, docs/). */
  readonly repoRoot: string;
  /** The infra folder (main.bicep, main.parameters.json, core/, app/). */
  readonly infraDir: string;
}

/** Everything the checks look at, read and parsed once. */
export interface Infra {
  readonly location: InfraLocation;
  /** Every .bicep file under infra/, by path relative to infra/ (`core/security/role.bicep`). */
  readonly files: ReadonlyMap<string, BicepFile>;
  readonly main: BicepFile;
  readonly parametersJson: unknown;
  readonly azureYaml: unknown;
}

function bicepPaths(directory: string, root: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = join(directory, entry);
    if (entry === 'node_modules' || entry === 'test') return [];
    if (statSync(full).isDirectory()) return bicepPaths(full, root);
    return entry.endsWith('.bicep') ? [relative(root, full).split(sep).join('/')] : [];
  });
}

/** Reads and parses infra/; throws BicepSyntaxError for Bicep it cannot parse. */
export function loadInfra(location: InfraLocation): Infra {
  const files = new Map<string, BicepFile>();
  for (const path of bicepPaths(location.infraDir, location.infraDir).sort()) {
    files.set(path, parseBicep(readFileSync(join(location.infraDir, path), 'utf8'), path));
  }
  const main = files.get('main.bicep');
  if (main === undefined) {
    throw new Error(`${location.infraDir}/main.bicep is missing; azd provisions infra/main.bicep.`);
  }
  return {
    location,
    files,
    main,
    parametersJson: JSON.parse(
      readFileSync(join(location.infraDir, 'main.parameters.json'), 'utf8'),
    ),
    azureYaml: parseYaml(readFileSync(join(location.repoRoot, 'azure.yaml'), 'utf8')),
  };
}

/** Resolves a module path as written in `from` (`../core/x.bicep`) to a path relative to infra/. */
export function resolveModulePath(from: string, modulePath: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of modulePath.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}
