import { spawnSync } from 'node:child_process';

/** Runs a CLI (az, azd) and returns its output; a run that fails is data, not an exception. */
export type Command = (args: readonly string[]) => { ok: boolean; stdout: string; stderr: string };

/** The real `az`/`azd` on the PATH (through the shell on Windows, where they are .cmd files). */
export function cli(name: string, env: NodeJS.ProcessEnv): Command {
  return (args) => {
    const run = spawnSync(name, args, {
      env,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      ok: run.status === 0,
      stdout: run.stdout ?? '',
      stderr: run.stderr ?? (run.error ? String(run.error) : ''),
    };
  };
}

/** Parses a command's JSON output, or undefined when it failed or printed something else. */
export function json<T>(run: ReturnType<Command>): T | undefined {
  if (!run.ok) return undefined;
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    return undefined;
  }
}
