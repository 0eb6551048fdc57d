/**
 * Telemetry as the service really exports it: the service runs with OTLP pointed at a receiver
 * of this suite's own, and is stopped with SIGTERM, whose drain sends the last spans (no sleeps).
 */
import { randomUUID } from 'node:crypto';
import { startOtlpReceiver } from '@keyless/telemetry/receiver';
import type { OtlpReceiver, ReceivedSpan } from '@keyless/telemetry/receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, readEvents } from './http-client.ts';
import { spawnService } from './service-process.ts';
import type { ServiceProcess } from './service-process.ts';
import type { GetState } from './suite-state.ts';

/** A JWT (a bearer token) in any form, or an Authorization header's value. */
const tokenLike = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}|Bearer /;

export function telemetryChecks(state: GetState): void {
  describe('telemetry', () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function run(
      env: Record<string, string>,
    ): Promise<{ service: ServiceProcess; receiver: OtlpReceiver }> {
      const receiver = await startOtlpReceiver();
      cleanups.push(() => receiver.close());
      const service = await spawnService(state().main, {
        ...state().env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        ...env,
      });
      cleanups.push(() => service.stop());
      return { service, receiver };
    }

    /** SIGTERM: the drain ends with the SDK's shutdown, which exports what is left. */
    async function stop(service: ServiceProcess): Promise<void> {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    }

    it('exports the route-named server span and a GenAI span with token usage for each chat, names the trace in traceresponse, and never exports the prompt, the completion or a token', async () => {
      const { service, receiver } = await run({});
      const secret = `secret-${randomUUID()}`;
      const messages = [{ role: 'user', content: `Hello there ${secret}` }];
      const json = await postJson(`${service.url}/api/chat`, { messages });
      expect(json.status).toBe(200);
      expect(JSON.stringify(await json.json())).toContain(secret);
      const streamed = await postJson(`${service.url}/api/chat`, { messages, stream: true });
      expect((await readEvents(streamed)).at(-1)?.event).toBe('done');
      await stop(service);

      for (const response of [json, streamed]) {
        const header = response.headers.get('traceresponse') ?? '';
        expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        const [, traceId, spanId] = header.split('-');
        const trace = receiver.spans.filter((span) => span.traceId === traceId);
        const server = trace.find((span) => span.spanId === spanId);
        expect(server).toMatchObject({
          service: state().name,
          kind: 'server',
          name: 'POST /api/chat',
          attributes: expect.objectContaining({ 'http.route': '/api/chat' }),
        });
        const model = trace.find(
          (span: ReceivedSpan) => span.attributes['gen_ai.operation.name'] === 'chat',
        );
        expect(model).toMatchObject({
          kind: 'client',
          parentSpanId: spanId,
          name: `chat ${state().env.AZURE_OPENAI_CHAT_DEPLOYMENT}`,
          attributes: expect.objectContaining({
            'gen_ai.operation.name': 'chat',
            'gen_ai.usage.input_tokens': expect.any(Number),
            'gen_ai.usage.output_tokens': expect.any(Number),
            'gen_ai.response.finish_reasons': ['stop'],
          }),
        });
        expect(model?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      }
      const exported = receiver.rawBodies.join('\n');
      expect(exported).not.toContain(secret);
      expect(exported).not.toMatch(tokenLike);
    });

    it('exports nothing with OTEL_SDK_DISABLED=true, and still answers', async () => {
      const { service, receiver } = await run({ OTEL_SDK_DISABLED: 'true' });
      const response = await postJson(`${service.url}/api/chat`, {
        messages: [{ role: 'user', content: 'Hello there' }],
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('traceresponse')).toBeNull();
      await stop(service);
      expect(receiver.rawBodies).toEqual([]);
    });
  });
}
