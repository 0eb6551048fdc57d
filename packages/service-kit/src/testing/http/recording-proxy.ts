/**
 * A loopback proxy in front of the model endpoint that records what the service sends upstream
 * (headers, body, and whether the call was cut off before its answer ended) and forwards it unchanged.
 * The service is pointed at it through AZURE_OPENAI_ENDPOINT, as it would be at any endpoint.
 * With `eventDelayMs` it paces server-sent events, one event per delay: a slow model for the one
 * service behind it, where the emulator's own latency would slow every service in the suite.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface UpstreamRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** True once the service hung up before the upstream answer was complete. */
  aborted: boolean;
  /** The request body as sent, once it has arrived. */
  body: string;
}

export interface RecordingProxy {
  url: string;
  records: UpstreamRecord[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Forward a text/event-stream answer one event at a time, this far apart (the first at once). */
  eventDelayMs?: number;
}

export async function startRecordingProxy(
  target: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const records: UpstreamRecord[] = [];
  const server = createServer((req, res) => {
    const record: UpstreamRecord = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      aborted: false,
      body: '',
    };
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      record.body = Buffer.concat(chunks).toString('utf8');
    });
    records.push(record);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const paced =
          options.eventDelayMs !== undefined &&
          String(answer.headers['content-type']).startsWith('text/event-stream');
        if (paced) paceEvents(answer, res, options.eventDelayMs ?? 0);
        else answer.pipe(res);
      },
    );
    res.on('close', () => {
      if (!res.writableFinished) {
        record.aborted = true;
        forward.destroy();
      }
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes each `\n\n`-terminated event `delayMs` after the one before it. */
function paceEvents(answer: IncomingMessage, res: ServerResponse, delayMs: number): void {
  let pending = '';
  let written = Promise.resolve();
  let first = true;
  const write = (text: string, wait: number, end: boolean) => {
    written = written.then(async () => {
      await sleep(wait);
      if (res.destroyed) return;
      if (end) res.end(text);
      else res.write(text);
    });
  };
  answer.setEncoding('utf8');
  answer.on('data', (text: string) => {
    pending += text;
    for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
      write(pending.slice(0, end + 2), first ? 0 : delayMs, false);
      first = false;
      pending = pending.slice(end + 2);
    }
  });
  answer.on('end', () => write(pending, 0, true));
}
