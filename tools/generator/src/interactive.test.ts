/**
 * The interactive path, as `npm run gen` runs it on a terminal: the plopfile's own prompts asked by
 * the inquirer that node-plop uses, answered with keystrokes (Enter, Ctrl-U, the arrow keys)
 * through a stream instead of a keyboard. Dry runs only: nothing is written.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify, stripVTControlCharacters } from 'node:util';
import nodePlop from 'node-plop';
import type { NodePlopAPI } from 'node-plop';
import { describe, expect, it } from 'vitest';
import { freeServiceName } from '../test/free-service.ts';
import { defaultRoot, registerServiceGenerator } from './plopfile.ts';

const exec = promisify(execFile);
const enter = '\r';
const arrowDown = '\u001b[B';
// readline's Ctrl-U: delete the line left of the cursor (a refused answer stays on the line).
const clearLine = '\u0015';

type PromptModule = (questions: unknown) => Promise<Record<string, unknown>>;
// node-plop hands plopfiles the inquirer it prompts with (`plop.inquirer`) but does not type it.
interface PlopInquirer {
  inquirer: {
    createPromptModule(streams: {
      input: NodeJS.ReadableStream;
      output: NodeJS.WritableStream;
    }): PromptModule;
  };
}

/** A terminal made of two streams: keystrokes in, the screen's text (escapes removed) out. */
class Terminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  #screen = '';
  #seen = 0;

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.#screen += stripVTControlCharacters(chunk.toString('utf8'));
    });
  }

  /** Resolves once the screen, from where the last wait ended, matches. */
  async waitFor(pattern: RegExp): Promise<string> {
    for (let attempt = 0; attempt < 500; attempt += 1) {
      const match = pattern.exec(this.#screen.slice(this.#seen));
      if (match) {
        this.#seen += match.index + match[0].length;
        return match[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`The screen never showed ${String(pattern)}; it shows:\n${this.#screen}`);
  }

  type(keys: string): void {
    this.input.write(keys);
  }
}

async function dryRunGenerator(lines: string[]) {
  const plop = await nodePlop(undefined, { destBasePath: defaultRoot, force: false });
  registerServiceGenerator(plop, {
    root: defaultRoot,
    dryRun: true,
    log: (line) => lines.push(line),
  });
  return { plop, generator: plop.getGenerator('service') };
}

function promptOn(plop: NodePlopAPI, terminal: Terminal): PromptModule {
  return (plop as unknown as PlopInquirer).inquirer.createPromptModule({
    input: terminal.input,
    output: terminal.output,
  });
}

describe('npm run gen on a terminal', () => {
  it('refuses a bad name and a taken one with the reason, then a too-long description, and accepts the corrections', async () => {
    const { plop, generator } = await dryRunGenerator([]);
    const terminal = new Terminal();
    const answered = promptOn(plop, terminal)(generator.prompts);
    const free = freeServiceName(defaultRoot, 'billing');

    await terminal.waitFor(/\? Service name/);
    terminal.type('Bil');
    // The transformer shows the problem as it is typed, before Enter.
    await terminal.waitFor(/Bil {2}✗ "Bil" has uppercase letters/);
    terminal.type(enter);
    await terminal.waitFor(/>> "Bil" has uppercase letters[^\n]*lowercase letters/);
    terminal.type(`${clearLine}api${enter}`);
    await terminal.waitFor(/>> [^\n]*"api"[^\n]*already exists in this workspace/);
    terminal.type(`${clearLine}${free}`);
    await terminal.waitFor(new RegExp(`${free} {2}✓`));
    terminal.type(enter);

    await terminal.waitFor(/\? Kind/);
    terminal.type(enter);
    await terminal.waitFor(/\? One-line description/);
    terminal.type(`${'x'.repeat(201)}${enter}`);
    await terminal.waitFor(/>> Use one line of at most 200 characters\./);
    terminal.type(`${clearLine}Bills customers${enter}`);

    expect(await answered).toEqual({ name: free, kind: 'api', description: 'Bills customers' });
  }, 30_000);

  it('plans from answers typed at the prompts exactly what the flags plan', async () => {
    const typedLines: string[] = [];
    const typed = await dryRunGenerator(typedLines);
    const terminal = new Terminal();
    const answered = promptOn(typed.plop, terminal)(typed.generator.prompts);
    const name = freeServiceName(defaultRoot, 'summariser');

    await terminal.waitFor(/\? Service name/);
    terminal.type(`${name}${enter}`);
    await terminal.waitFor(/\? Kind/);
    // The second choice, worker.
    terminal.type(`${arrowDown}${enter}`);
    await terminal.waitFor(/\? One-line description \(A keyless worker service\.\)/);
    terminal.type(`Summarises documents${enter}`);
    const typedAnswers = await answered;
    await typed.generator.runActions(typedAnswers);

    // The same service from the flags, through the real CLI.
    const cli = await exec(process.execPath, [
      join(import.meta.dirname, 'cli.ts'),
      'service',
      name,
      'worker',
      '--description',
      'Summarises documents',
      '--dry-run',
    ]);
    // And through node-plop's bypass, which cli.ts feeds: the answers themselves must agree.
    const flagged = await dryRunGenerator([]);
    const flaggedAnswers = await flagged.generator.runPrompts([
      name,
      'worker',
      'Summarises documents',
    ]);

    expect(typedAnswers).toEqual({ name, kind: 'worker', description: 'Summarises documents' });
    expect(typedAnswers).toEqual(flaggedAnswers);
    expect(typedLines).toContain(`  create  apps/${name}/src/main.ts`);
    expect(cli.stdout.trimEnd().split('\n')).toEqual(typedLines);
  }, 60_000);
});
