/**
 * The file the stack appends received spans to, one JSON span a line, so that `npm run traces`
 * (another process) reads what the running stack received. It lives in the git-ignored
 * `.local-azure/` folder.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReceivedSpan } from '@keyless/telemetry/receiver';

export function tracesFileIn(stateDir: string): string {
  return join(stateDir, 'traces.jsonl');
}

/** Beyond this the file is cut back to its newer half when the stack starts. */
const maxBytes = 20 * 1024 * 1024;

/** Keeps the file from growing without end over many `npm start`s. */
export function trimTraceFile(file: string): void {
  if (!existsSync(file) || statSync(file).size <= maxBytes) return;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  writeFileSync(file, `${lines.slice(Math.floor(lines.length / 2)).join('\n')}\n`);
}

export function appendSpans(file: string, spans: readonly ReceivedSpan[]): void {
  if (spans.length === 0) return;
  appendFileSync(file, spans.map((span) => `${JSON.stringify(span)}\n`).join(''));
}

/** Every span in the file; a line that is not a span (a write cut short) is skipped. */
export function readSpans(file: string): ReceivedSpan[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const span = JSON.parse(line) as ReceivedSpan;
        return typeof span.traceId === 'string' && typeof span.spanId === 'string' ? [span] : [];
      } catch {
        return [];
      }
    });
}
