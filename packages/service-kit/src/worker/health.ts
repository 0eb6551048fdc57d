import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The probes Container Apps calls: `/healthz` (the process is alive) and `/readyz` (the worker
 * is receiving from its queue; 503 with the reason otherwise). Nothing else is served.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  notReadyReason: () => string | undefined;
}): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const reply = (status: number, body: object) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify(body));
    };
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply(405, { error: 'method not allowed' });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/readyz') {
      const reason = options.notReadyReason();
      return reason === undefined
        ? reply(200, { status: 'ready' })
        : reply(503, { status: 'not ready', reason });
    }
    return reply(404, { error: 'not found' });
  });
  // Probes are short; don't let an idle keep-alive connection hold up shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
