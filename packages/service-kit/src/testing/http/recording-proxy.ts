/**
 * A loopback proxy in front of the model endpoint that records what the service sends upstream
 * (headers, body, and whether the call was cut off before its answer ended) and forwards it unchanged.
 * The service is pointed at it through AZURE_OPENAI_ENDPOINT, as it would be at any endpoint.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
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
        answer.pipe(res);
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
