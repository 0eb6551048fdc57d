/** GET /healthz and GET /readyz, as Container Apps probes them. */
import { describe, expect, it } from 'vitest';
import { problemOf } from './http-client.ts';
import { closedPort } from './ports.ts';
import { spawnService } from './service-process.ts';
import type { GetState } from './suite-state.ts';

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
