/**
 * The runtime the images had before they shipped only a bundle, reproduced from the lockfile:
 * `npm ci --omit=dev --workspace apps/<name>` installs every workspace's production dependencies,
 * i.e. every lockfile package not marked `dev`, whatever `--workspace` says.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

interface LockEntry {
  dev?: boolean;
  link?: boolean;
}

export interface OldRuntime {
  /** Top-level packages in the runtime's node_modules. */
  readonly packages: number;
  /** Their size on disk here (same versions, this platform's optional binaries). */
  readonly bytes: number;
}

export async function oldRuntime(workspaceRoot: string): Promise<OldRuntime> {
  const lock = JSON.parse(await readFile(join(workspaceRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const topLevel = Object.entries(lock.packages)
    .filter(([path]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
    .filter(([, entry]) => !entry.dev && !entry.link)
    .map(([path]) => join(workspaceRoot, path))
    .filter((dir) => existsSync(dir));
  let bytes = 0;
  for (let index = 0; index < topLevel.length; index += 200) {
    const { stdout } = await execFileAsync(
      'du',
      ['-sb', '--total', ...topLevel.slice(index, index + 200)],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    bytes += Number(/^(\d+)\s+total$/m.exec(stdout)?.[1] ?? 0);
  }
  return { packages: topLevel.length, bytes };
}
