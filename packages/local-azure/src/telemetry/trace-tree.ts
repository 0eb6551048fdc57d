/**
 * Traces as trees for a terminal: one line a span, indented under its parent, with the service,
 * the span's name and kind, its duration, a failure and a model call's token counts.
 */
import type { ReceivedSpan } from '@keyless/telemetry/receiver';

export interface Trace {
  traceId: string;
  spans: ReceivedSpan[];
  startMs: number;
  durationMs: number;
}

/** Spans grouped by trace, newest trace first. */
export function groupTraces(spans: readonly ReceivedSpan[]): Trace[] {
  const byTrace = new Map<string, Map<string, ReceivedSpan>>();
  for (const span of spans) {
    const trace = byTrace.get(span.traceId) ?? new Map<string, ReceivedSpan>();
    // The same span twice (an export retried) counts once.
    trace.set(span.spanId, span);
    byTrace.set(span.traceId, trace);
  }
  return [...byTrace.entries()]
    .map(([traceId, members]) => {
      const list = [...members.values()];
      const startMs = Math.min(...list.map((span) => span.startMs));
      const endMs = Math.max(...list.map((span) => span.startMs + span.durationMs));
      return { traceId, spans: list, startMs, durationMs: endMs - startMs };
    })
    .sort((a, b) => b.startMs - a.startMs);
}

function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function details(span: ReceivedSpan): string {
  const parts = [duration(span.durationMs)];
  const input = span.attributes['gen_ai.usage.input_tokens'];
  const output = span.attributes['gen_ai.usage.output_tokens'];
  if (input !== undefined || output !== undefined) {
    parts.push(`tokens ${String(input ?? '?')} in / ${String(output ?? '?')} out`);
  }
  const finish = span.attributes['gen_ai.response.finish_reasons'];
  if (Array.isArray(finish) && finish.length > 0) parts.push(`finish ${finish.join(',')}`);
  const status = span.attributes['http.response.status_code'];
  if (typeof status === 'number') parts.push(String(status));
  if (span.status === 'error')
    parts.push(`ERROR${span.statusMessage ? ` ${span.statusMessage}` : ''}`);
  return parts.join('  ');
}

/** One trace as a tree; spans whose parent never arrived are shown as roots. */
export function formatTrace(trace: Trace): string {
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of trace.spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs);
  const services = [...new Set(trace.spans.map((span) => span.service))];
  const lines = [
    `trace ${trace.traceId}  ${new Date(trace.startMs).toISOString()}  ${duration(trace.durationMs)}  ${services.join(' -> ')}`,
  ];
  const walk = (span: ReceivedSpan, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    lines.push(
      `  ${prefix}${branch}[${span.service}] ${span.name} (${span.kind})  ${details(span)}`,
    );
    const next = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
    const kids = children.get(span.spanId) ?? [];
    kids.forEach((child, index) => walk(child, next, index === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, '', true, true);
  return lines.join('\n');
}

/** A trace id as a user pastes it: the 32 hex digits, or a whole `traceresponse`/`traceparent`. */
export function parseTraceId(input: string): string | undefined {
  const text = input.trim().toLowerCase();
  const match = /^(?:00-)?([0-9a-f]{32})(?:-[0-9a-f]{16}-[0-9a-f]{2})?$/.exec(text);
  return match?.[1];
}
