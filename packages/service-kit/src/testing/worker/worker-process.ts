import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { spawnNode } from '../spawn-node.ts';

export type LogLine = Record<string, unknown>;

/** A worker as a real process, as Container Apps runs it: its own env, signals, exit code. */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly listening: Promise<number>;

  constructor(entry: string, env: Record<string, string>) {
    this.child = spawnNode(entry, env, ['ignore', 'pipe', 'pipe']);
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.listening = new Promise((resolve, reject) => {
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        this.raw.push(line);
        let entry: LogLine;
        try {
          entry = JSON.parse(line) as LogLine;
        } catch {
          // Not a log line: kept in `raw` for the token check, not parsed.
          return;
        }
        this.lines.push(entry);
        if (entry.msg === 'health endpoint listening') resolve(entry.port as number);
      });
      void this.exited.then(({ code }) =>
        reject(
          new Error(`the worker exited (${code}) before listening:\n${this.stderr.join('\n')}`),
        ),
      );
    });
    // A worker that is expected to fail at start-up never gets asked for its URL.
    this.listening.catch(() => undefined);
  }

  /** The health endpoint's base URL, once it listens. */
  async url(): Promise<string> {
    return `http://127.0.0.1:${await this.listening}`;
  }

  /** Log lines with this message. */
  said(message: string): LogLine[] {
    return this.lines.filter((line) => line.msg === message);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
