/** When the model endpoint fails or refuses the service's identity: safe, precise problems. */
import { afterEach, describe, expect, it } from 'vitest';
import { hello, postJson, problemOf, readEvents } from './http-client.ts';
import { spawnService } from './service-process.ts';
import type { GetState } from './suite-state.ts';

export function upstreamFailures(state: GetState): void {
  describe('when the model endpoint fails', () => {
    afterEach(async () => {
      await state().controls.clearFaults();
      await state().controls.setLatency({});
    });

    it('passes a 429 on with Retry-After in seconds from retry-after-ms', async () => {
      await state().controls.injectFault({
        kind: 'status',
        status: 429,
        count: 1,
        retryAfterMs: 2_500,
      });
      const response = await postJson(`${state().strict.url}/api/chat`, hello);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect((await problemOf(response)).type).toBe('urn:keyless:problem:upstream-throttled');
    });

    it('answers 502 for an upstream 500, without the upstream message', async () => {
      await state().controls.injectFault({ kind: 'status', status: 500, count: 1 });
      const response = await postJson(`${state().strict.url}/api/chat`, hello);
      expect(response.status).toBe(502);
      const problem = await problemOf(response);
      expect(problem.type).toBe('urn:keyless:problem:upstream-failed');
      expect(problem.detail).toBe('The model endpoint answered 500.');
    });

    it('retries one 503 and answers 200 with the default settings', async () => {
      const { service, proxy, controls } = state();
      await controls.injectFault({ kind: 'status', status: 503, count: 1, retryAfterMs: 0 });
      const before = proxy.records.length;
      const response = await postJson(`${service.url}/api/chat`, hello);
      expect(response.status).toBe(200);
      expect(proxy.records.length - before).toBe(2);
    });

    it('answers 504 when the model does not answer within AZURE_OPENAI_TIMEOUT_MS', async () => {
      await state().controls.injectFault({ kind: 'hang', count: 1 });
      const response = await postJson(`${state().strict.url}/api/chat`, hello);
      expect(response.status).toBe(504);
      expect((await problemOf(response)).type).toBe('urn:keyless:problem:upstream-timeout');
    });

    it('answers 502 when the connection is reset', async () => {
      await state().controls.injectFault({ kind: 'reset', count: 1 });
      const response = await postJson(`${state().strict.url}/api/chat`, hello);
      expect(response.status).toBe(502);
      expect((await problemOf(response)).type).toBe('urn:keyless:problem:upstream-failed');
    });

    it('answers a throttled stream with a plain 429 before any event is sent', async () => {
      await state().controls.injectFault({
        kind: 'status',
        status: 429,
        count: 1,
        retryAfterMs: 1_000,
      });
      const response = await postJson(`${state().strict.url}/api/chat`, { ...hello, stream: true });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      await problemOf(response);
    });

    it('ends a stream that stalls mid-way with an error event holding a 504 problem', async () => {
      await state().controls.setLatency({ perTokenMs: 3_000 });
      const response = await postJson(`${state().strict.url}/api/chat`, { ...hello, stream: true });
      expect(response.status).toBe(200);
      const events = await readEvents(response);
      expect(events.at(-1)).toEqual({
        event: 'error',
        data: expect.objectContaining({
          type: 'urn:keyless:problem:upstream-timeout',
          status: 504,
          requestId: response.headers.get('x-request-id'),
        }),
      });
      expect(events.some((event) => event.event === 'done')).toBe(false);
    });

    it('keeps serving after all of the above', async () => {
      expect((await postJson(`${state().strict.url}/api/chat`, hello)).status).toBe(200);
    });
  });
}

/** A deployment the identity may not use, in a service process of its own. */
export function refusedIdentity(state: GetState): void {
  describe('when the model endpoint refuses the service identity', () => {
    it('answers a safe 502 and logs the KeylessError code with its fix, for JSON and streams', async ({
      expect,
    }) => {
      const { main, env } = state();
      const wrong = await spawnService(main, {
        ...env,
        AZURE_OPENAI_CHAT_DEPLOYMENT: 'no-such-deployment',
      });
      try {
        for (const body of [hello, { ...hello, stream: true }]) {
          const response = await postJson(`${wrong.url}/api/chat`, body);
          expect(response.status).toBe(502);
          const problem = await problemOf(response);
          expect(problem).toMatchObject({
            type: 'urn:keyless:problem:upstream-auth',
            detail: 'The service could not authenticate to the model endpoint.',
          });
          // Nothing about the identity, the deployment or the fix reaches the caller.
          expect(JSON.stringify(problem)).not.toMatch(/KEYLESS_ERR|deployment|principal|role|fix/i);
          const requestId = response.headers.get('x-request-id');
          await expect
            .poll(
              () =>
                wrong.logs.find(
                  (line) => line.reqId === requestId && typeof line.code === 'string',
                ),
              // Side by side with other starting services, the line can take over a second.
              { timeout: 10_000 },
            )
            .toMatchObject({
              code: 'KEYLESS_ERR_DEPLOYMENT_NOT_FOUND',
              fix: expect.stringContaining('AZURE_OPENAI_CHAT_DEPLOYMENT'),
            });
        }
      } finally {
        await wrong.stop();
      }
    });
  });
}
