import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BicepPathError,
  locateBicep,
  pinnedBicepVersion,
  runtimeIdentifier,
} from '../src/cli/locate.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'keyless-locate-'));
  dirs.push(root);
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const executable = (path: string, body = 'exit 0') => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  return { root, home, bin, cacheDir: join(root, 'cache'), executable };
}

// The search order is a table: each row is found only when every earlier one is absent.
describe.skipIf(process.platform === 'win32')('locateBicep', () => {
  it('takes BICEP_PATH first', () => {
    const box = sandbox();
    const explicit = box.executable(join(box.root, 'custom', 'bicep'));
    box.executable(join(box.bin, 'bicep'));
    expect(
      locateBicep({
        env: { BICEP_PATH: explicit, PATH: box.bin },
        home: box.home,
        cacheDir: box.cacheDir,
      }),
    ).toEqual({ path: explicit, source: 'BICEP_PATH' });
  });

  it('refuses a BICEP_PATH that is not an executable, instead of quietly using another CLI', () => {
    const box = sandbox();
    box.executable(join(box.bin, 'bicep'));
    expect(() =>
      locateBicep({
        env: { BICEP_PATH: join(box.root, 'missing'), PATH: box.bin },
        home: box.home,
        cacheDir: box.cacheDir,
      }),
    ).toThrow(BicepPathError);
  });

  it('then bicep on the PATH, then the Azure CLI copy, then the azd copy', () => {
    const box = sandbox();
    const azd = box.executable(join(box.home, '.azd', 'bin', 'bicep'));
    const options = {
      env: { PATH: box.bin },
      home: box.home,
      cacheDir: box.cacheDir,
      restore: false,
    };
    expect(locateBicep(options)).toEqual({ path: azd, source: 'azd' });
    const azureCli = box.executable(join(box.home, '.azure', 'bin', 'bicep'));
    expect(locateBicep(options)).toEqual({ path: azureCli, source: 'azure-cli' });
    const onPath = box.executable(join(box.bin, 'bicep'));
    expect(locateBicep(options)).toEqual({ path: onPath, source: 'PATH' });
  });

  it('restores the pinned NuGet package with dotnet when nothing else is there, and makes it runnable', () => {
    const box = sandbox();
    const cli = join(
      box.cacheDir,
      'packages',
      `azure.bicep.commandline.${runtimeIdentifier()}`,
      pinnedBicepVersion,
      'tools',
      'bicep',
    );
    // The stand-in needs grep and mkdir; no bicep lives in /usr/bin or /bin.
    const withSystemTools = [box.bin, '/usr/bin', '/bin'].join(delimiter);
    // A stand-in for `dotnet restore`: writes the package's compiler without its run bit, as NuGet does.
    box.executable(
      join(box.bin, 'dotnet'),
      `grep -q 'Version="\\[${pinnedBicepVersion}\\]"' "$2" || exit 3\nmkdir -p "$(dirname '${cli}')" && echo bicep > '${cli}' && chmod 644 '${cli}'`,
    );
    expect(
      locateBicep({ env: { PATH: withSystemTools }, home: box.home, cacheDir: box.cacheDir }),
    ).toEqual({ path: cli, source: 'nuget' });
    // The next search finds the restored copy without running dotnet again.
    rmSync(join(box.bin, 'dotnet'));
    expect(
      locateBicep({ env: { PATH: withSystemTools }, home: box.home, cacheDir: box.cacheDir })
        ?.source,
    ).toBe('nuget');
  });

  it('finds nothing without any CLI and without dotnet', () => {
    const box = sandbox();
    expect(
      locateBicep({ env: { PATH: box.bin }, home: box.home, cacheDir: box.cacheDir }),
    ).toBeUndefined();
  });
});
