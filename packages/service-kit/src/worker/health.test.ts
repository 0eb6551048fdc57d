import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer } from './health.ts';
import type { HealthServer } from './health.ts';

let server: HealthServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(reason: () => string | undefined): Promise<string> {
  server = await startHealthServer({ host: '127.0.0.1', port: 0, notReadyReason: reason });
  return `http://127.0.0.1:${server.port}`;
}

describe('the health endpoint', () => {
  it('says the process is alive on /healthz even when not ready', async () => {
    const url = await start(() => 'not started');
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 and the reason until the worker is ready, then 200', async () => {
    let reason: string | undefined = 'cannot receive from the queue: ECONNREFUSED';
    const url = await start(() => reason);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', reason });

    reason = undefined;
    expect((await fetch(`${url}/readyz?probe=1`)).status).toBe(200);
  });

  it('serves nothing else', async () => {
    const url = await start(() => undefined);
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
