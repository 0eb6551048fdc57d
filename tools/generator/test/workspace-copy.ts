/**
 * A throwaway copy of a workspace for end-to-end tests: every file git would see, as it is in the
 * working tree (tracked files with their uncommitted edits, and new files that are not ignored,
 * such as services a user generated and has not committed yet), in a fresh git repository with
 * one commit.
 * node_modules is a folder of symlinks into the real one, except `@keyless/*`, which link to the
 * copy's own packages as npm would, so the copy's code (and the generator's link) is what runs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '../../..');
const node = process.execPath;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WorkspaceCopy {
  root: string;
  /** Runs a command in the copy; never throws on a non-zero exit. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<RunResult>;
  /** `npm run gen -- …` in the copy, with no terminal. */
  gen(args: string[], env?: Record<string, string>): Promise<RunResult>;
  /** `git status --porcelain` plus a hash of every file git would see, and of node_modules/@keyless. */
  fingerprint(): Promise<string>;
  remove(): Promise<void>;
}

async function listFiles(from: string, args: string[]): Promise<string[]> {
  const { stdout } = await exec('git', ['ls-files', '-z', ...args], {
    cwd: from,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\0').filter(Boolean);
}

/** Copies `from` (default: this repository), uncommitted changes and new files included. */
export async function copyWorkspace(from: string = repoRoot): Promise<WorkspaceCopy> {
  const root = await mkdtemp(join(tmpdir(), 'keyless-gen-'));
  const files = new Set([
    ...(await listFiles(from, [])),
    ...(await listFiles(from, ['--others', '--exclude-standard'])),
  ]);
  await Promise.all(
    [...files].map(async (file) => {
      // A tracked file deleted in the working tree stays deleted; node_modules is linked below.
      if (!existsSync(join(from, file)) || file.startsWith('node_modules/')) return;
      await mkdir(dirname(join(root, file)), { recursive: true });
      await copyFile(join(from, file), join(root, file));
    }),
  );
  await linkNodeModules(from, root);

  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
  const run = async (
    command: string,
    args: string[],
    extra: Record<string, string> = {},
  ): Promise<RunResult> => {
    try {
      const { stdout, stderr } = await exec(command, args, {
        cwd: root,
        env: { ...env, ...extra },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string; signal?: string };
      return {
        code: typeof failed.code === 'number' ? failed.code : 1,
        stdout: failed.stdout ?? '',
        stderr: `${failed.stderr ?? ''}${failed.signal ? ` (signal ${failed.signal})` : ''}`,
      };
    }
  };
  await run('git', ['init', '-q', '-b', 'main']);
  await run('git', ['add', '-A']);
  await run('git', ['commit', '-q', '-m', 'workspace copy']);

  return {
    root,
    run,
    gen: (args, extra) => run(node, ['tools/generator/src/cli.ts', ...args], extra),
    async fingerprint() {
      const status = (await run('git', ['status', '--porcelain', '--untracked-files=all'])).stdout;
      const hash = createHash('sha256').update(status);
      const { stdout } = await run('git', [
        'ls-files',
        '-z',
        '--cached',
        '--others',
        '--exclude-standard',
      ]);
      for (const file of stdout.split('\0').filter(Boolean).sort()) {
        const path = join(root, file);
        hash.update(file).update(existsSync(path) ? readFileSync(path) : 'missing');
      }
      hash.update((await readdir(join(root, 'node_modules/@keyless'))).sort().join(','));
      return hash.digest('hex');
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

async function linkNodeModules(from: string, root: string): Promise<void> {
  const source = join(from, 'node_modules');
  const target = join(root, 'node_modules');
  await mkdir(join(target, '@keyless'), { recursive: true });
  for (const entry of await readdir(source)) {
    // Caches are written to: the copy gets its own.
    if (entry === '@keyless' || entry.startsWith('.vite') || entry === '.cache') continue;
    await symlink(join(source, entry), join(target, entry));
  }
  for (const entry of await readdir(join(source, '@keyless'))) {
    await symlink(await readlink(join(source, '@keyless', entry)), join(target, '@keyless', entry));
  }
  // Versions npm could not hoist live in the workspace's own node_modules (e.g. ajv 8 under
  // packages/local-azure while the root has ajv 6).
  for (const folder of ['apps', 'packages', 'tools']) {
    for (const project of await readdir(join(from, folder))) {
      await linkEntries(
        join(from, folder, project, 'node_modules'),
        join(root, folder, project, 'node_modules'),
      );
    }
  }
  await linkEntries(join(from, 'infra/node_modules'), join(root, 'infra/node_modules'));
}

async function linkEntries(source: string, target: string): Promise<void> {
  if (!existsSync(source) || !existsSync(dirname(target))) return;
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source)) {
    if (entry.startsWith('.vite')) continue;
    await symlink(join(source, entry), join(target, entry));
  }
}
