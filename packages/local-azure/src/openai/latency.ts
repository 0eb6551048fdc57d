import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sendJson } from './http.ts';
import type { Latency } from './options.ts';

export const latencySchema = z.strictObject({
  fixedMs: z.number().min(0).optional(),
  perTokenMs: z.number().min(0).optional(),
});

export function parseLatency(value: unknown): Required<Latency> {
  const parsed = latencySchema.safeParse(value);
  if (!parsed.success) {
    throw new TypeError(
      `Invalid latency (${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(latency)'}: ${issue.message}`).join('; ')}). Pass { fixedMs?: number >= 0, perTokenMs?: number >= 0 }.`,
    );
  }
  return { fixedMs: parsed.data.fixedMs ?? 0, perTokenMs: parsed.data.perTokenMs ?? 0 };
}

/**
 * Waits `ms` (no timer at all for 0, so a zero-latency emulator answers at full speed); a client
 * that hangs up ends the wait early, so no timer outlives its request.
 */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') throw error;
  });
}

/** Aborts when the client goes away before the answer is complete. */
export function hangUp(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** One frame of an event stream; a token frame waits `perTokenMs` before it is written. */
export interface PacedFrame {
  text: string;
  isToken: boolean;
}

/** A whole answer: a JSON body that took `tokens` tokens, or the frames of an event stream. */
export type PacedAnswer =
  { body: unknown; tokens: number } | { frames: Iterable<PacedFrame>; end?: string };

/**
 * Answers 200 at the emulated speed: after `fixedMs`, a JSON body once all its tokens have taken
 * `perTokenMs` each, or a text/event-stream whose token frames come `perTokenMs` apart, then `end`.
 * A client that hangs up ends the answer early.
 */
export async function sendPaced(
  response: ServerResponse,
  latency: Required<Latency>,
  headers: Record<string, string>,
  answer: PacedAnswer,
): Promise<void> {
  const signal = hangUp(response);
  await delay(latency.fixedMs, signal);

  if ('body' in answer) {
    await delay(latency.perTokenMs * answer.tokens, signal);
    if (response.destroyed) return;
    return sendJson(response, 200, answer.body, headers);
  }
  response.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  for (const { text, isToken } of answer.frames) {
    if (isToken) await delay(latency.perTokenMs, signal);
    if (response.destroyed) return;
    response.write(text);
  }
  response.end(answer.end);
}
