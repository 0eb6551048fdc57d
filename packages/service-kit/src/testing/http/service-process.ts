/**
 * The service under test as a real child process (`node <main>`), the way `npm start` and the
 * container run it: its configuration comes from the environment it is given, nothing else.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { spawnNode } from '../spawn-node.ts';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** stdout log lines, parsed, as they arrive. */
  logs: Array<Record<string, unknown>>;
  /** stdout as written, to search for what must never be logged. */
  rawLogs: string[];
  stderr: string[];
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function spawnService(
  main: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawnNode(main, { HOST: '127.0.0.1', PORT: '0', ...env }, [
    'ignore',
    'pipe',
    'pipe',
  ]);
  const logs: Array<Record<string, unknown>> = [];
  const rawLogs: string[] = [];
  const stderr: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      rawLogs.push(line);
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') resolve(entry.port as number);
    });
    void exited.then((code) =>
      reject(new Error(`${main} exited with ${code} before listening: ${stderr.join('\n')}`)),
    );
  });
  const port = await listening;
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    logs,
    rawLogs,
    stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the entry point to its exit: for start-up failures. */
export async function runToExit(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawnNode(main, env, ['ignore', 'ignore', 'pipe']);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}
