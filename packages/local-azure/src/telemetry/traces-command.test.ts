import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedSpan } from '@keyless/telemetry/receiver';
import { describe, expect, it, onTestFinished } from 'vitest';
import { appendSpans } from './trace-file.ts';
import { tracesCommand } from './traces-command.ts';

/** A traces.jsonl in a folder of its own, removed when the test finishes. */
function tracesFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'traces-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'traces.jsonl');
}

const traceA = 'a'.repeat(32);
const traceB = 'b'.repeat(32);

function span(fields: Partial<ReceivedSpan> & Pick<ReceivedSpan, 'spanId' | 'name'>): ReceivedSpan {
  return {
    service: 'api',
    traceId: traceA,
    kind: 'internal',
    startMs: Date.UTC(2026, 10, 30, 0, 0, 0),
    durationMs: 10,
    status: 'unset',
    attributes: {},
    events: [],
    ...fields,
  };
}

/** A file holding the request → enqueue → job → model call trace of the issue, and one older. */
function fileWithTraces(): string {
  const file = tracesFile();
  const t0 = Date.UTC(2026, 10, 30, 0, 0, 0);
  appendSpans(file, [
    span({
      traceId: traceB,
      spanId: '0000000000000009',
      name: 'GET /healthz',
      startMs: t0 - 60_000,
    }),
  ]);
  // Spans arrive in the order they end, children first, and from two processes.
  appendSpans(file, [
    span({
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      name: 'send worker-jobs',
      kind: 'producer',
      startMs: t0 + 5,
      durationMs: 3,
    }),
    span({
      spanId: '0000000000000001',
      name: 'POST /api/jobs',
      kind: 'server',
      durationMs: 12.25,
      attributes: { 'http.response.status_code': 202 },
    }),
  ]);
  appendSpans(file, [
    span({
      service: 'worker',
      spanId: '0000000000000004',
      parentSpanId: '0000000000000003',
      name: 'chat gpt-4o-mini',
      kind: 'client',
      startMs: t0 + 30,
      durationMs: 800,
      attributes: {
        'gen_ai.usage.input_tokens': 11,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    }),
    span({
      service: 'worker',
      spanId: '0000000000000005',
      parentSpanId: '0000000000000003',
      name: 'BlockBlobClient.upload',
      kind: 'client',
      startMs: t0 + 840,
      durationMs: 4,
      status: 'error',
      statusMessage: 'RestError',
    }),
    span({
      service: 'worker',
      spanId: '0000000000000003',
      parentSpanId: '0000000000000002',
      name: 'process worker-jobs',
      kind: 'consumer',
      startMs: t0 + 20,
      durationMs: 1500,
    }),
  ]);
  return file;
}

describe('npm run traces', () => {
  it('prints one trace as a tree across services, with durations, status and token counts', () => {
    const result = tracesCommand({ file: fileWithTraces(), args: [traceA] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        `trace ${traceA}  2026-11-30T00:00:00.000Z  1.52 s  api -> worker`,
        '  [api] POST /api/jobs (server)  12.3 ms  202',
        '  └─ [api] send worker-jobs (producer)  3.0 ms',
        '     └─ [worker] process worker-jobs (consumer)  1.50 s',
        '        ├─ [worker] chat gpt-4o-mini (client)  800.0 ms  tokens 11 in / 7 out  finish stop',
        '        └─ [worker] BlockBlobClient.upload (client)  4.0 ms  ERROR RestError',
        '',
      ].join('\n'),
    );
  });

  it('lists the latest traces first, and as many as asked', () => {
    const file = fileWithTraces();
    const all = tracesCommand({ file, args: [] });
    expect([...all.stdout.matchAll(/^trace (\w+)/gm)].map((match) => match[1])).toEqual([
      traceA,
      traceB,
    ]);
    const one = tracesCommand({ file, args: [], limit: 1 });
    expect(one.stdout).toContain('(1 older traces not shown;');
    expect(one.stdout).not.toContain(traceB);
  });

  it('takes a whole traceresponse header as the trace id', () => {
    const result = tracesCommand({
      file: fileWithTraces(),
      args: [`00-${traceA}-0000000000000001-01`],
    });
    expect(result.stdout).toContain(`trace ${traceA}`);
  });

  it('shows a span whose parent never arrived as a root of its trace', () => {
    const file = tracesFile();
    appendSpans(file, [
      span({ spanId: '0000000000000007', parentSpanId: 'ffffffffffffffff', name: 'orphan' }),
    ]);
    expect(tracesCommand({ file, args: [traceA] }).stdout).toContain(
      '\n  [api] orphan (internal)  10.0 ms',
    );
  });

  it('skips a line cut short, and says so plainly when there is nothing yet', () => {
    const file = tracesFile();
    writeFileSync(file, '{"traceId":"abc", "spa');
    expect(tracesCommand({ file, args: [] })).toMatchObject({
      exitCode: 0,
      stdout: expect.stringMatching(
        /^No traces yet in .*traces\.jsonl\.\nStart the stack with `npm start`/,
      ),
    });
  });

  it('answers an id it does not have yet with the likely cause first: spans arrive in batches, seconds later', () => {
    const result = tracesCommand({ file: fileWithTraces(), args: ['c'.repeat(32)] });
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    const [notFound, ...causes] = result.stderr.split('. ');
    expect(notFound).toMatch(/^No trace c{32} in .*traces\.jsonl$/);
    expect(causes[0]).toMatch(/has not arrived yet: services send their spans in batches/);
    expect(result.stderr).toContain(
      `run \`npm run traces -- ${'c'.repeat(32)}\` again in about 5 s`,
    );
    // The other causes follow: a stack that never got it, or telemetry turned off.
    expect(result.stderr.indexOf('about 5 s')).toBeLessThan(
      result.stderr.indexOf('OTEL_SDK_DISABLED=true'),
    );
    expect(result.stderr).toMatch(/`npm run traces` lists the latest\.\n$/);
  });

  it('refuses more than one argument, with the usage', () => {
    expect(tracesCommand({ file: fileWithTraces(), args: [traceA, traceB] })).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining('Usage: npm run traces [-- <trace id>]'),
    });
  });
});
