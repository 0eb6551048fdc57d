import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './index.ts';

// What @keyless/telemetry's started SDK registers; without it there is no active span at all.
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

function capture(): {
  lines: Array<Record<string, unknown>>;
  log: ReturnType<typeof createLogger>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger(
    { service: 'api', level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { lines, log };
}

describe('a log line written inside a span', () => {
  it('carries the trace and span ids, also from a child logger and after an await', async () => {
    const { lines, log } = capture();
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    await context.with(trace.setSpan(context.active(), span), async () => {
      log.info('first');
      await new Promise((resolve) => setImmediate(resolve));
      log.child({ reqId: 'r-1' }).info('second');
    });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'first',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        trace_flags: '01',
      }),
      expect.objectContaining({
        msg: 'second',
        reqId: 'r-1',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
      }),
    ]);
  });

  it('carries no trace fields outside any span', () => {
    const { lines, log } = capture();
    log.info('outside');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
