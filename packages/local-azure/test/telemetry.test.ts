import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAzure } from '../src/index.ts';
import type { LocalAzure } from '../src/index.ts';
import { statusTable } from '../src/status.ts';
import { tracesFileIn } from '../src/telemetry/trace-file.ts';

const run = promisify(execFile);
const node = process.execPath;
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const tracesBin = new URL('../src/bin/traces.ts', import.meta.url).pathname;
let directory: string;
let stack: LocalAzure;
// The chat deployment the stack serves, as infra/models.json names it.
const chatDeployment = () => stack.envFor('developer')['AZURE_OPENAI_CHAT_DEPLOYMENT'] ?? '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'telemetry-test-'));
  stack = await startLocalAzure({
    ports: 'free',
    storage: false,
    envFile: join(directory, 'stack.env'),
    tracesFile: tracesFileIn(directory),
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await rm(directory, { recursive: true, force: true });
});

async function traces(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(node, [tracesBin, ...args], {
      env: { ...process.env, LOCAL_AZURE_DIR: directory },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('the local stack’s telemetry', () => {
  it('is named in the status table, and processes that join the stack are told where it is', () => {
    expect(statusTable(stack, [])).toMatch(
      new RegExp(`telemetry \\(OTLP/HTTP\\)\\s+${stack.telemetry.url}\\s+traces: npm run traces`),
    );
    expect(readFileSync(stack.envFile!, 'utf8')).toContain(
      `\nOTEL_EXPORTER_OTLP_ENDPOINT='${stack.telemetry.url}'\n`,
    );
  });

  it('receives a process’s spans, and `npm run traces` prints them as a tree with token counts', async () => {
    const prompt = `prompt-${randomUUID()}`;
    const { stdout } = await run(
      node,
      [
        '--env-file',
        stack.envFile!,
        '--import',
        '@keyless/local-azure/trust-stack',
        fixture('send-trace.ts'),
        prompt,
      ],
      { cwd: fixture('') },
    );
    const { traceId } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { traceId: string };

    const listed = await traces();
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`trace ${traceId}`);
    const one = await traces(traceId);
    expect(one.code).toBe(0);
    const lines = one.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^trace ${traceId}  \\S+Z  [\\d.]+ m?s  send-trace$`));
    expect(lines[1]).toMatch(
      /^ {2}\[send-trace\] process fixture-jobs \(consumer\) {2}[\d.]+ m?s$/,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^ {2}└─ \\[send-trace\\] chat ${chatDeployment().replaceAll('.', '\\.')} \\(client\\) {2}[\\d.]+ m?s {2}tokens \\d+ in / \\d+ out {2}finish stop$`,
      ),
    );
    expect(readFileSync(tracesFileIn(directory), 'utf8')).not.toContain(prompt);
  }, 60_000);

  it('answers an unknown trace id with a clear message and exit code 1', async () => {
    const unknown = await traces('0'.repeat(31) + '1');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(
      /^No trace 0{31}1 in .*traces\.jsonl\. .*`npm run traces` lists the latest\.\n$/,
    );
    const malformed = await traces('not-a-trace');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('"not-a-trace" is not a trace id.');
  }, 60_000);
});
