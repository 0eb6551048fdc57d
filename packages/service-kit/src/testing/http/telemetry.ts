/**
 * Telemetry as the service really exports it: the service runs with OTLP pointed at a receiver
 * of this suite's own, and is stopped with SIGTERM, whose drain sends the last spans (no sleeps).
 */
import { randomUUID } from 'node:crypto';
import { startOtlpReceiver } from '@keyless/telemetry/receiver';
import type { OtlpReceiver, ReceivedSpan } from '@keyless/telemetry/receiver';
import { describe, expect, it } from 'vitest';
import { postJson, readEvents } from './http-client.ts';
import { spawnService } from './service-process.ts';
import type { ServiceProcess } from './service-process.ts';
import type { GetState, OnTestFinished } from './suite-state.ts';

/** What /api/responses answers (JSON) or ends with (the done event), as far as spans care. */
interface ResponsesDone {
  responseId: string;
  usage: { inputTokens: number; outputTokens: number };
}

interface ResponsesBody extends ResponsesDone {
  message: { content: string };
  toolCalls: unknown[];
}

/** A JWT (a bearer token) in any form, or an Authorization header's value. */
const tokenLike = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}|Bearer /;

export function telemetryChecks(state: GetState): void {
  describe('telemetry', () => {
    /** A receiver and a service of the test's own, both gone when the test finishes. */
    async function run(
      env: Record<string, string>,
      onTestFinished: OnTestFinished,
    ): Promise<{ service: ServiceProcess; receiver: OtlpReceiver }> {
      const receiver = await startOtlpReceiver();
      onTestFinished(() => receiver.close());
      const service = await spawnService(state().main, {
        ...state().env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        ...env,
      });
      // Registered last, so it runs first: the service stops before its receiver closes.
      onTestFinished(() => service.stop());
      return { service, receiver };
    }

    /** SIGTERM, then the exit code: the drain ends with the SDK's shutdown, which exports what is left. */
    function stop(service: ServiceProcess): Promise<number | null> {
      service.child.kill('SIGTERM');
      return service.exited;
    }

    it('exports the route-named server span and a GenAI span with token usage for each chat, names the trace in traceresponse, and never exports the prompt, the completion or a token', async ({
      expect,
      onTestFinished,
    }) => {
      const { service, receiver } = await run({}, onTestFinished);
      const secret = `secret-${randomUUID()}`;
      const messages = [{ role: 'user', content: `Hello there ${secret}` }];
      const json = await postJson(`${service.url}/api/chat`, { messages });
      expect(json.status).toBe(200);
      expect(JSON.stringify(await json.json())).toContain(secret);
      const streamed = await postJson(`${service.url}/api/chat`, { messages, stream: true });
      expect((await readEvents(streamed)).at(-1)?.event).toBe('done');
      expect(await stop(service)).toBe(0);

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
            'openai.api.type': 'chat_completions',
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

    /** The server span a response names in traceresponse, and the model spans under it in order. */
    function spansOf(receiver: OtlpReceiver, response: Response) {
      const header = response.headers.get('traceresponse') ?? '';
      expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const [, traceId, spanId] = header.split('-');
      const trace = receiver.spans.filter((span) => span.traceId === traceId);
      return {
        server: trace.find((span) => span.spanId === spanId),
        models: trace
          .filter((span) => span.attributes['gen_ai.operation.name'] !== undefined)
          .sort((a, b) => a.startMs - b.startMs),
        spanId,
      };
    }

    it('exports a GenAI span for each model call of /api/responses, JSON and streamed, both calls of a tool round trip included, with token usage and the status as finish reason, and never the input, the answer or a token', async ({
      expect,
      onTestFinished,
    }) => {
      const { service, receiver } = await run({}, onTestFinished);
      const secret = `secret-${randomUUID()}`;
      const url = `${service.url}/api/responses`;
      const said = `Hello there ${secret}`;
      // The example tool's prompt with the secret in it: the model calls calculate, then answers.
      const tool = `Use calculate to add 2 and 3. ${secret}`;
      const json = await postJson(url, { input: said });
      const jsonBody = (await json.json()) as ResponsesBody;
      expect(jsonBody.message.content).toContain(secret);
      const jsonTool = await postJson(url, { input: tool });
      const jsonToolBody = (await jsonTool.json()) as ResponsesBody;
      expect(jsonToolBody.toolCalls).toHaveLength(1);
      const streamed = await postJson(url, { input: said, stream: true });
      const streamedDone = (await readEvents(streamed)).at(-1);
      expect(streamedDone?.event).toBe('done');
      const streamedTool = await postJson(url, { input: tool, stream: true });
      const streamedToolDone = (await readEvents(streamedTool)).at(-1);
      expect(streamedToolDone?.event).toBe('done');
      // An answer longer than maxOutputTokens ends incomplete.
      const long = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
      const capped = await postJson(url, { input: `${long} ${secret}`, maxOutputTokens: 16 });
      expect(await capped.json()).toMatchObject({ status: 'incomplete' });
      const refused = await postJson(url, { input: said, previousResponseId: 'resp_unknown' });
      expect(refused.status).toBe(400);
      expect(await stop(service)).toBe(0);

      const deployment = state().env.AZURE_OPENAI_CHAT_DEPLOYMENT;
      const answered = [
        { response: json, calls: 1, done: jsonBody },
        { response: jsonTool, calls: 2, done: jsonToolBody },
        { response: streamed, calls: 1, done: streamedDone?.data as ResponsesDone },
        { response: streamedTool, calls: 2, done: streamedToolDone?.data as ResponsesDone },
      ];
      for (const { response, calls, done } of answered) {
        const { server, models, spanId } = spansOf(receiver, response);
        expect(server).toMatchObject({ kind: 'server', name: 'POST /api/responses' });
        expect(models).toHaveLength(calls);
        for (const model of models) {
          expect(model).toMatchObject({
            kind: 'client',
            status: 'unset',
            parentSpanId: spanId,
            name: `chat ${deployment}`,
            attributes: expect.objectContaining({
              'gen_ai.operation.name': 'chat',
              'openai.api.type': 'responses',
              'gen_ai.provider.name': 'azure.ai.openai',
              'gen_ai.request.model': deployment,
              'gen_ai.response.id': expect.stringMatching(/^resp_/),
              'gen_ai.response.finish_reasons': ['completed'],
            }),
          });
          expect(model.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
        }
        // The last call's response is the one the caller got, and the usage adds up per call.
        expect(models.at(-1)?.attributes['gen_ai.response.id']).toBe(done.responseId);
        const sum = (key: string) =>
          models.reduce((total, model) => total + Number(model.attributes[key]), 0);
        expect(sum('gen_ai.usage.input_tokens')).toBe(done.usage.inputTokens);
        expect(sum('gen_ai.usage.output_tokens')).toBe(done.usage.outputTokens);
      }
      expect(spansOf(receiver, capped).models).toEqual([
        expect.objectContaining({
          attributes: expect.objectContaining({
            'gen_ai.request.max_tokens': 16,
            'gen_ai.response.finish_reasons': ['incomplete'],
            'gen_ai.usage.output_tokens': 16,
          }),
        }),
      ]);
      expect(spansOf(receiver, refused).models).toEqual([
        expect.objectContaining({
          status: 'error',
          attributes: expect.objectContaining({ 'error.type': '400' }),
        }),
      ]);
      const exported = receiver.rawBodies.join('\n');
      expect(exported).not.toContain(secret);
      expect(exported).not.toMatch(tokenLike);
    });

    it('exports the input and the answer of /api/responses only with content capture turned on, and still no token', async ({
      expect,
      onTestFinished,
    }) => {
      const { service, receiver } = await run(
        {
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
        },
        onTestFinished,
      );
      const secret = `secret-${randomUUID()}`;
      const response = await postJson(`${service.url}/api/responses`, {
        input: `Hello there ${secret}`,
      });
      expect(response.status).toBe(200);
      expect(await stop(service)).toBe(0);
      const [model] = spansOf(receiver, response).models;
      expect(model?.attributes['gen_ai.input.messages']).toContain(secret);
      expect(model?.attributes['gen_ai.output.messages']).toContain(
        `You said: Hello there ${secret}`,
      );
      expect(receiver.rawBodies.join('\n')).not.toMatch(tokenLike);
    });

    it('exports nothing with OTEL_SDK_DISABLED=true, and still answers', async ({
      expect,
      onTestFinished,
    }) => {
      const { service, receiver } = await run({ OTEL_SDK_DISABLED: 'true' }, onTestFinished);
      const response = await postJson(`${service.url}/api/chat`, {
        messages: [{ role: 'user', content: 'Hello there' }],
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('traceresponse')).toBeNull();
      expect(await stop(service)).toBe(0);
      expect(receiver.rawBodies).toEqual([]);
    });
  });
}
