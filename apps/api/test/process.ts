/**
 * Runs the api as a real child process (`node src/main.ts`), the way `npm start` and the
 * container do: for shutdown signals, exit codes and cold start.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** stdout log lines, parsed, as they arrive. */
  logs: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<number | null>;
}

export async function spawnApi(
  env: Record<string, string>,
  entry: string = mainPath,
): Promise<ApiProcess> {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'api listening') resolve(entry.port as number);
    });
    void exited.then((code) =>
      reject(new Error(`the api exited with ${code} before listening: ${stderr.join('\n')}`)),
    );
  });
  const port = await listening;
  return { child, url: `http://127.0.0.1:${port}`, logs, stderr, exited };
}
