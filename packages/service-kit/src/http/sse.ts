/** Server-sent events on an Express response, respecting backpressure from slow clients. */
import type { Response } from 'express';

export function startEventStream(res: Response): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    // Proxies (nginx, Envoy in Container Apps) must not buffer the deltas.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
}

/** Writes one event; resolves once the socket can take more, or the client has gone. */
export async function sendEvent(res: Response, data: unknown, event?: string): Promise<void> {
  if (res.destroyed) return;
  const frame = `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  if (res.write(frame)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
