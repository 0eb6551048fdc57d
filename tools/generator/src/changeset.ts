/**
 * Everything one generation does to the disk, planned in memory first and applied as a
 * transaction: new files, then links, then edits to shared files last. Any failure on the way (a
 * disk error, an interrupt, a file someone changed since planning) puts back exactly what was
 * there before: created files and folders removed, edited files restored byte for byte.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

export type Change =
  | { type: 'create'; path: string; content: string }
  | { type: 'link'; path: string; target: string }
  | { type: 'modify'; path: string; before: string; after: string }
  /**
   * Files a tool derives from the workspace (npm's lockfile, Nx's tsconfig references): its own
   * command rewrites them once everything else is in place; rollback restores each `before`
   * (`undefined`: the file did not exist, so rollback removes it).
   */
  | {
      type: 'regenerate';
      files: ReadonlyArray<{ path: string; before: string | undefined }>;
      command: readonly string[];
      label: string;
    };

export interface Changeset {
  /** Paths relative to the workspace root, with `/` separators. */
  changes: Change[];
}

export interface ApplyOptions {
  /** Checked between writes; once aborted, the transaction rolls back. */
  signal?: AbortSignal;
  /** Called after each write with the number of writes so far (tests use it to fail part-way). */
  afterWrite?: (writes: number) => void;
  /** The environment commands run in (the generator's own); without it, this process's. */
  env?: NodeJS.ProcessEnv;
  /** Told how long each step took (the bench's breakdown): `write files`, then each command's label. */
  onStep?: (step: string, ms: number) => void;
}

export class GenerationRolledBack extends Error {
  override name = 'GenerationRolledBack';
}

const order: Record<Change['type'], number> = { create: 0, link: 1, modify: 2, regenerate: 3 };

/** The changes in the order they are applied. */
export function orderedChanges(changeset: Changeset): Change[] {
  return [...changeset.changes].sort((a, b) => order[a.type] - order[b.type]);
}

/** One line per change, for `--dry-run` and the summary after a generation. */
export function describeChanges(changeset: Changeset): string[] {
  return orderedChanges(changeset).map((change) => {
    if (change.type === 'create') return `create  ${change.path}`;
    if (change.type === 'link') return `link    ${change.path} -> ${change.target}`;
    if (change.type === 'regenerate') {
      const others = change.files.length - 1;
      return `update  ${change.files[0]?.path ?? ''} (${change.label}${others > 0 ? `; up to ${others} more files it derives` : ''})`;
    }
    return `modify  ${change.path}`;
  });
}

type Undo = () => void;

/**
 * Applies the changeset under `root`. Before writing anything it checks that no file to create
 * exists yet and that every file to modify is still as planned; on any failure part-way it undoes
 * what it did, in reverse, and throws GenerationRolledBack with the original error as its cause.
 */
export async function applyChangeset(
  root: string,
  changeset: Changeset,
  options: ApplyOptions = {},
): Promise<void> {
  const changes = orderedChanges(changeset);
  checkPreconditions(root, changes);
  const undo: Undo[] = [];
  let writes = 0;
  let stepStart = performance.now();
  const stepDone = (step: string) => {
    const now = performance.now();
    options.onStep?.(step, now - stepStart);
    stepStart = now;
  };
  try {
    for (const change of changes) {
      // Yield between writes so that a SIGINT handler gets to run and abort the transaction.
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      if (change.type === 'regenerate') {
        if (change === changes.find((first) => first.type === 'regenerate'))
          stepDone('write files');
        for (const file of change.files) undo.push(restore(join(root, file.path), file.before));
        const [command = '', ...args] = change.command;
        try {
          execFileSync(command, args, {
            cwd: root,
            stdio: 'pipe',
            timeout: 300_000,
            ...(options.env && { env: options.env }),
          });
        } catch (error) {
          const output = (error as { stderr?: Buffer }).stderr?.toString().trim();
          throw new Error(`${change.label} failed${output ? `: ${output}` : ''}`, { cause: error });
        }
        writes += 1;
        stepDone(change.label);
        options.afterWrite?.(writes);
        continue;
      }
      const path = join(root, change.path);
      if (change.type === 'modify') {
        writeFileSync(path, change.after);
        undo.push(() => writeFileSync(path, change.before));
      } else {
        undo.push(...makeParents(dirname(path)));
        if (change.type === 'create') writeFileSync(path, change.content, { flag: 'wx' });
        else symlinkSync(change.target, path);
        undo.push(() => unlinkSync(path));
      }
      writes += 1;
      options.afterWrite?.(writes);
    }
  } catch (error) {
    const failures = rollBack(undo);
    const reason = options.signal?.aborted ? 'interrupted' : 'failed';
    throw new GenerationRolledBack(
      `Generation ${reason} after ${writes} of ${changes.length} writes (${(error as Error).message}); ` +
        (failures.length === 0
          ? 'every change was rolled back and the workspace is as it was.'
          : `rolling back also failed for: ${failures.join('; ')}. Check \`git status\` and restore those paths by hand.`),
      { cause: error },
    );
  }
}

function checkPreconditions(root: string, changes: Change[]): void {
  const problems: string[] = [];
  for (const change of changes) {
    if (change.type === 'regenerate') {
      for (const file of change.files) {
        if (read(join(root, file.path)) === file.before) continue;
        problems.push(`${file.path} changed since the plan was made`);
      }
      continue;
    }
    const path = join(root, change.path);
    if (change.type === 'modify') {
      if (read(path) !== change.before)
        problems.push(`${change.path} changed since the plan was made`);
    } else if (exists(path)) {
      problems.push(`${change.path} already exists`);
    }
  }
  if (problems.length > 0) {
    throw new GenerationRolledBack(
      `Nothing was written: ${problems.join('; ')}. Run the generator again (it re-reads the workspace), or remove what is in the way.`,
    );
  }
}

/** Creates the missing folders above `dir`, returning how to remove each again, innermost first. */
function makeParents(dir: string): Undo[] {
  const missing: string[] = [];
  for (let current = dir; !exists(current); current = dirname(current)) missing.push(current);
  if (missing.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  // Undo runs in reverse: the outermost folder is pushed first so it is removed last.
  return missing.reverse().map((folder) => () => rmdirSync(folder));
}

function rollBack(undo: Undo[]): string[] {
  const failures: string[] = [];
  for (const step of undo.reverse()) {
    try {
      step();
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return failures;
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function restore(path: string, before: string | undefined): Undo {
  return () => {
    if (before !== undefined) writeFileSync(path, before);
    else if (exists(path)) unlinkSync(path);
  };
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `path` relative to `root`, with `/` separators, as changesets name files. */
export function workspacePath(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}
