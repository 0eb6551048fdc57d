/** GET /healthz and GET /readyz, as Container Apps probes them. */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { problemOf } from './http-client.ts';
import { spawnService } from './service-process.ts';
import type { GetState } from './suite-state.ts';

/**
 * A loopback port that refuses connections, below 1024: a port the system hands out to `listen(0)`
 * is always above that, so no server starting beside this check (the suite starts many) can take
 * it between the choice and the service's call, as one could take a freed ephemeral port.
 */
async function closedPort(): Promise<number> {
  for (let port = 1; port < 1024; port += 1) {
    if (await refusesConnections(port)) return port;
  }
  throw new Error(
    'Every loopback port below 1024 accepts connections, so this check has no unreachable endpoint; stop one of those listeners and run it again.',
  );
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

export function probes(state: GetState): void {
  describe('GET /healthz', () => {
    it('answers 200 without calling the model', async () => {
      const { service, proxy } = state();
      const before = proxy.records.length;
      const response = await fetch(`${service.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
      expect(proxy.records.length).toBe(before);
    });
  });

  describe('GET /readyz', () => {
    it('answers 200 when a token is acquirable and the model endpoint answers', async () => {
      const { service, proxy } = state();
      const response = await fetch(`${service.url}/readyz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { checks: Array<{ name: string; ok: boolean }> };
      expect(body.checks.map((check) => check.name)).toEqual([
        expect.stringMatching(/^token https:\/\/.+\/\.default$/),
        `reach ${proxy.url}`,
      ]);
      expect(body.checks.every((check) => check.ok)).toBe(true);
    });
  });
}

/** /readyz failing for each reason, each in a service process of its own. */
export function readinessFailures(state: GetState): void {
  describe('GET /readyz', () => {
    it('answers 503 naming the token scope when the identity gets no token', async ({ expect }) => {
      const { main, env } = state();
      const unknown = await spawnService(main, {
        ...env,
        AZURE_CLIENT_ID: '00000000-0000-4000-8000-000000000000',
      });
      try {
        const response = await fetch(`${unknown.url}/readyz`);
        expect(response.status).toBe(503);
        const problem = (await problemOf(response)) as { detail: string; checks: unknown[] };
        expect(problem.detail).toMatch(/^token https:\/\/.+\/\.default: /);
        expect(problem.checks).toHaveLength(2);
      } finally {
        await unknown.stop();
      }
    });

    it('answers 503 naming AZURE_OPENAI_ENDPOINT when the model endpoint is unreachable', async ({
      expect,
    }) => {
      const { main, env } = state();
      const unreachable = await spawnService(main, {
        ...env,
        AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
      });
      try {
        const response = await fetch(`${unreachable.url}/readyz`);
        expect(response.status).toBe(503);
        expect((await problemOf(response)).detail).toContain('AZURE_OPENAI_ENDPOINT');
      } finally {
        await unreachable.stop();
      }
    });
  });
}
