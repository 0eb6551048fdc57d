import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Bicep CLI this repository pins when it restores one from NuGet. */
export const pinnedBicepVersion = '0.49.2';

/** Where a Bicep CLI was found, and by which rule of the search order. */
export interface BicepCli {
  readonly path: string;
  readonly source: 'BICEP_PATH' | 'PATH' | 'azure-cli' | 'azd' | 'nuget';
}

/** What the search reads: passed in so that tests can point it at folders of their own. */
export interface LocateOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** The git-ignored folder a NuGet restore writes to. */
  readonly cacheDir: string;
  /** Restore from NuGet when nothing else is found and `dotnet` is on the PATH (default true). */
  readonly restore?: boolean;
}

/** BICEP_PATH names a file that is missing or cannot be run: a typo is an error, not a fallback. */
export class BicepPathError extends Error {
  override readonly name = 'BicepPathError';
  readonly code = 'KEYLESS_ERR_BICEP_PATH';
  readonly fix =
    'point BICEP_PATH at a Bicep CLI executable, or unset it to search the usual places';
  readonly bicepPath: string;
  constructor(bicepPath: string) {
    super(`BICEP_PATH is set to ${bicepPath}, which is not an executable file.`);
    this.bicepPath = bicepPath;
  }
}

/** The one line printed when no CLI is found: what did not run, and how to get it. */
export const noBicepHint =
  'infra: Bicep compile, lint and policy checks did not run: no Bicep CLI found (BICEP_PATH, PATH, ~/.azure/bin, ~/.azd/bin, or dotnet for a NuGet restore); install one with `az bicep install`.';

const exe = process.platform === 'win32' ? 'bicep.exe' : 'bicep';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: LocateOptions['env']): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const candidate of names.map((n) => join(dir, n))) {
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** NuGet's runtime identifier for this machine; the package is `Azure.Bicep.CommandLine.<rid>`. */
export function runtimeIdentifier(): string {
  const os = { win32: 'win', darwin: 'osx', linux: 'linux' }[process.platform as string] ?? 'linux';
  return `${os}-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
}

function nugetCliPath(cacheDir: string): string {
  const id = `azure.bicep.commandline.${runtimeIdentifier()}`;
  return join(cacheDir, 'packages', id, pinnedBicepVersion, 'tools', exe);
}

/**
 * Restores Microsoft's Bicep CLI from NuGet into `cacheDir` with `dotnet restore` of a project that
 * only has a PackageDownload (nothing is built or referenced), and makes the compiler runnable:
 * NuGet extracts files without their run bit.
 */
export function restoreFromNuGet(cacheDir: string, env: LocateOptions['env']): string {
  const project = join(cacheDir, 'restore.csproj');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(
    project,
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.${runtimeIdentifier()}" Version="[${pinnedBicepVersion}]" />
  </ItemGroup>
</Project>
`,
  );
  execFileSync('dotnet', ['restore', project, '--packages', join(cacheDir, 'packages')], {
    env: { ...env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli = nugetCliPath(cacheDir);
  if (!existsSync(cli)) {
    throw new Error(`dotnet restore finished but ${cli} is missing; delete ${cacheDir} and retry.`);
  }
  if (process.platform !== 'win32') chmodSync(cli, 0o755);
  return cli;
}

/**
 * Finds a Bicep CLI in the documented order: BICEP_PATH, `bicep` on the PATH, the Azure CLI's copy
 * (~/.azure/bin), azd's copy (~/.azd/bin), an earlier NuGet restore, else a NuGet restore when
 * `dotnet` is on the PATH. Undefined when none of these gives one.
 */
export function locateBicep(options: LocateOptions): BicepCli | undefined {
  const { env, home, cacheDir } = options;
  const explicit = env['BICEP_PATH'];
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutable(explicit)) throw new BicepPathError(explicit);
    return { path: explicit, source: 'BICEP_PATH' };
  }
  const fromPath = onPath('bicep', env);
  if (fromPath !== undefined) return { path: fromPath, source: 'PATH' };
  const azureCli = join(home, '.azure', 'bin', exe);
  if (isExecutable(azureCli)) return { path: azureCli, source: 'azure-cli' };
  const azd = join(home, '.azd', 'bin', exe);
  if (isExecutable(azd)) return { path: azd, source: 'azd' };
  const restored = nugetCliPath(cacheDir);
  if (isExecutable(restored)) return { path: restored, source: 'nuget' };
  if (options.restore === false || onPath('dotnet', env) === undefined) return undefined;
  return { path: restoreFromNuGet(cacheDir, env), source: 'nuget' };
}
