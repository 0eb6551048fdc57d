/** The chat contract: POST /api/chat as JSON and as server-sent events. */
import { describe, expect, it } from 'vitest';
import { hello, parseEvents, postJson, problemOf } from './http-client.ts';
import { expectPostOnly, readDeltaStream } from './model-routes.ts';
import type { GetState } from './suite-state.ts';

export function chatContract(state: GetState): void {
  describe('POST /api/chat', () => {
    it('answers with the assistant message, the finish reason and the token usage', async () => {
      const response = await postJson(`${state().service.url}/api/chat`, hello);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        id: expect.any(String),
        message: { role: 'assistant', content: expect.stringContaining('Hello there') },
        finishReason: 'stop',
        usage: {
          promptTokens: expect.any(Number),
          completionTokens: expect.any(Number),
          totalTokens: expect.any(Number),
        },
      });
    });

    it('stops at maxTokens and says so in finishReason', async () => {
      const response = await postJson(`${state().service.url}/api/chat`, {
        ...hello,
        maxTokens: 1,
      });
      const body = (await response.json()) as {
        finishReason: string;
        usage: { completionTokens: number };
      };
      expect(body.finishReason).toBe('length');
      expect(body.usage.completionTokens).toBe(1);
    });

    it('asks for max_completion_tokens, never max_tokens or temperature, which reasoning models refuse', async () => {
      const { service, proxy } = state();
      const from = proxy.records.length;
      await postJson(`${service.url}/api/chat`, { ...hello, maxTokens: 5 });
      await expect.poll(() => proxy.records.at(from)?.body ?? '').not.toBe('');
      const sent = JSON.parse(proxy.records[from]!.body) as Record<string, unknown>;
      expect(sent).toMatchObject({ max_completion_tokens: 5 });
      expect(sent).not.toHaveProperty('max_tokens');
      expect(sent).not.toHaveProperty('temperature');
    });

    it('echoes a sane x-request-id and sends it upstream as x-ms-client-request-id', async () => {
      const { service, proxy } = state();
      const response = await postJson(`${service.url}/api/chat`, hello, {
        'x-request-id': 'trace-42.a_b',
      });
      expect(response.headers.get('x-request-id')).toBe('trace-42.a_b');
      expect(proxy.records.at(-1)?.headers['x-ms-client-request-id']).toBe('trace-42.a_b');
    });

    it('replaces an unsafe x-request-id with a new UUID, here and upstream', async () => {
      const { service, proxy } = state();
      const response = await postJson(`${service.url}/api/chat`, hello, {
        'x-request-id': 'x'.repeat(200),
      });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(proxy.records.at(-1)?.headers['x-ms-client-request-id']).toBe(id);
    });

    it('calls the model with a bearer token from its identity, never an api-key', async () => {
      const { service, proxy } = state();
      await postJson(`${service.url}/api/chat`, hello);
      const headers = proxy.records.at(-1)?.headers;
      expect(headers?.authorization).toMatch(/^Bearer ey/);
      expect(headers?.['api-key']).toBeUndefined();
    });

    it('answers 400 naming every failing field', async () => {
      const response = await postJson(`${state().service.url}/api/chat`, {
        messages: [{ role: 'robot', content: 7 }],
        maxTokens: 0,
      });
      expect(response.status).toBe(400);
      const problem = (await problemOf(response)) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((error) => error.path)).toEqual([
        'messages[0].role',
        'messages[0].content',
        'maxTokens',
      ]);
    });

    it('answers 405 with Allow for other methods', async () => {
      await expectPostOnly(`${state().service.url}/api/chat`);
    });
  });

  describe('POST /api/chat with stream: true', () => {
    it('relays the deltas as server-sent events, then a done event with usage', async () => {
      const response = await postJson(`${state().service.url}/api/chat`, {
        ...hello,
        stream: true,
      });
      const { events, deltas } = await readDeltaStream(response, 'Hello there');
      expect(events.at(-1)).toEqual({
        event: 'done',
        data: {
          id: expect.any(String),
          finishReason: 'stop',
          usage: expect.objectContaining({ completionTokens: deltas.length }),
        },
      });
    });

    it('delivers the first delta before the model has finished', async () => {
      const { service, controls } = state();
      await controls.setLatency({ perTokenMs: 200 });
      try {
        const response = await postJson(`${service.url}/api/chat`, { ...hello, stream: true });
        const reader = response.body!.getReader();
        const first = await reader.read();
        // The whole answer takes several tokens × 200 ms; the first frame holds one delta only.
        expect(parseEvents(new TextDecoder().decode(first.value))).toHaveLength(1);
        await reader.cancel();
      } finally {
        await controls.setLatency({});
      }
    });

    it('aborts the model call when the client disconnects', async () => {
      const { service, controls, proxy } = state();
      await controls.setLatency({ perTokenMs: 200 });
      try {
        const response = await postJson(`${service.url}/api/chat`, { ...hello, stream: true });
        const reader = response.body!.getReader();
        await reader.read();
        const upstream = proxy.records.at(-1)!;
        expect(upstream.aborted).toBe(false);
        await reader.cancel();
        await expect.poll(() => upstream.aborted, { timeout: 5_000 }).toBe(true);
        await expect
          .poll(() =>
            service.logs.some(
              (line) => line.msg === 'client disconnected; the model call was aborted',
            ),
          )
          .toBe(true);
      } finally {
        await controls.setLatency({});
      }
    });
  });
}
