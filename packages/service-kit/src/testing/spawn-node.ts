/**
 * Starts a service's entry point as its own Node process, as `npm start` and the container do.
 * The conformance suites start dozens of them, so each gets Node's compile cache (the folder
 * `module.enableCompileCache()` uses by default): entries are keyed by the source and the Node
 * version, so a stale one is never used, and a warm cache saves most of the module compile time.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const compileCache = join(tmpdir(), 'node-compile-cache');

export function spawnNode(
  entry: string,
  env: Record<string, string>,
  stdio: StdioOptions,
): ChildProcess {
  return spawn(process.execPath, [entry], {
    env: { NODE_COMPILE_CACHE: compileCache, ...env },
    stdio,
  });
}
