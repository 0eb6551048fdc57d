import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { genAi, startTelemetry, traceModelCall } from '../src/index.ts';
import type { Telemetry } from '../src/index.ts';
import { startOtlpReceiver } from '../src/receiver/index.ts';
import type { OtlpReceiver } from '../src/receiver/index.ts';
import { close, fakeJwt, json, listen, readJson, receiverPaths, settingsFor } from './helpers.ts';

const deployment = 'chat-deployment';
let receiver: OtlpReceiver | undefined;
let telemetry: Telemetry | undefined;
let model: Server | undefined;

afterEach(async () => {
  await telemetry?.shutdown();
  await receiver?.close();
  if (model) await close(model);
  telemetry = receiver = model = undefined;
});

/**
 * A chat-completions endpoint in the shape of Azure OpenAI's v1 API that answers only with a
 * bearer token, and echoes a secret completion.
 */
async function modelEndpoint(completion: string): Promise<string> {
  const { url, server } = await listen((request, response) => {
    if (!/^Bearer ey/.test(request.headers.authorization ?? '')) {
      json(response, 401, { statusCode: 401, message: 'Unauthorized.' });
      return;
    }
    void readJson(request).then(() =>
      json(response, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            logprobs: null,
            message: { role: 'assistant', content: completion, refusal: null },
          },
        ],
        usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
      }),
    );
  });
  model = server;
  return url;
}

/** The model-call spans (the in-process endpoint's own server spans are there too). */
function modelSpans(received: OtlpReceiver) {
  return received.spans.filter((span) => span.attributes[genAi.operationName] !== undefined);
}

async function start(env: Record<string, string> = {}): Promise<OtlpReceiver> {
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({
    serviceName: 'worker',
    settings: settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env }),
    ignoreIncomingPaths: receiverPaths,
  });
  return receiver;
}

async function chat(endpoint: string, token: string, prompt: string) {
  const client = new OpenAI({
    baseURL: `${endpoint}/openai/v1/`,
    apiKey: () => Promise.resolve(token),
  });
  const messages = [{ role: 'user' as const, content: prompt }];
  return traceModelCall({ operation: 'chat', deployment, endpoint, input: messages }, () =>
    client.chat.completions.create({ model: deployment, messages }),
  );
}

describe('a model call', () => {
  it('gets a GenAI span with the deployment, token usage and finish reason', async () => {
    const received = await start();
    const endpoint = await modelEndpoint('Hi there');
    const completion = await chat(endpoint, fakeJwt(), 'Hello');
    expect(completion.choices[0]?.message.content).toBe('Hi there');
    await telemetry!.flush();

    const port = Number(new URL(endpoint).port);
    expect(modelSpans(received)).toEqual([
      expect.objectContaining({
        name: `chat ${deployment}`,
        kind: 'client',
        status: 'unset',
        attributes: {
          [genAi.operationName]: 'chat',
          [genAi.providerName]: 'azure.ai.openai',
          [genAi.requestModel]: deployment,
          [genAi.responseModel]: 'gpt-4o-mini-2024-07-18',
          [genAi.responseId]: 'chatcmpl-1',
          [genAi.usageInputTokens]: 11,
          [genAi.usageOutputTokens]: 7,
          [genAi.responseFinishReasons]: ['stop'],
          [genAi.serverAddress]: '127.0.0.1',
          [genAi.serverPort]: port,
        },
      }),
    ]);
  });

  it('records call duration and input and output tokens per deployment', async () => {
    const received = await start();
    const endpoint = await modelEndpoint('Hi');
    await chat(endpoint, fakeJwt(), 'one');
    await chat(endpoint, fakeJwt(), 'two');
    await telemetry!.flush();
    const points = received.metrics.filter((point) => point.name.startsWith('gen_ai.'));
    expect(points).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'gen_ai.client.operation.duration',
          unit: 's',
          count: 2,
          attributes: expect.objectContaining({ [genAi.requestModel]: deployment }) as unknown,
        }),
        expect.objectContaining({
          name: 'gen_ai.client.token.usage',
          count: 2,
          sum: 22,
          attributes: expect.objectContaining({
            [genAi.requestModel]: deployment,
            [genAi.tokenType]: 'input',
          }) as unknown,
        }),
        expect.objectContaining({
          name: 'gen_ai.client.token.usage',
          count: 2,
          sum: 14,
          attributes: expect.objectContaining({ [genAi.tokenType]: 'output' }) as unknown,
        }),
      ]),
    );
  });

  it('fails its span with the status, not the error text, when the call is refused', async () => {
    const received = await start();
    const endpoint = await modelEndpoint('never');
    await expect(chat(endpoint, 'not-a-jwt', 'Hello')).rejects.toThrow();
    await telemetry!.flush();
    expect(modelSpans(received)).toEqual([
      expect.objectContaining({
        status: 'error',
        statusMessage: '401',
        attributes: expect.objectContaining({ 'error.type': '401' }) as unknown,
      }),
    ]);
  });
});

describe('what reaches telemetry', () => {
  it('never includes prompt or completion text by default, nor any bearer token', async () => {
    const received = await start();
    const prompt = `prompt-${randomUUID()}`;
    const completion = `completion-${randomUUID()}`;
    const token = fakeJwt();
    const endpoint = await modelEndpoint(completion);
    await chat(endpoint, token, prompt);
    // A plain node:http call with the token, as the Azure SDK and the identity client make:
    // the http instrumentation sees its headers.
    await new Promise<void>((resolve, reject) => {
      const call = httpRequest(
        `${endpoint}/openai/v1/chat/completions`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (response) => response.resume().on('end', resolve),
      );
      call.on('error', reject);
      call.end(JSON.stringify({ messages: [{ role: 'user', content: prompt }] }));
    });
    await telemetry!.flush();

    const everything = received.rawBodies.join('\n');
    // The model call's span, the plain call's client span, and both server spans of the endpoint.
    expect(received.spans.map((span) => span.kind).sort()).toEqual([
      'client',
      'client',
      'server',
      'server',
    ]);
    expect(everything).not.toContain(prompt);
    expect(everything).not.toContain(completion);
    for (const part of token.split('.')) expect(everything).not.toContain(part);
    expect(everything).not.toMatch(/Bearer/i);
  });

  it('includes prompt and completion when content capture is turned on, and still no token', async () => {
    const received = await start({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
    const prompt = `prompt-${randomUUID()}`;
    const completion = `completion-${randomUUID()}`;
    const token = fakeJwt();
    await chat(await modelEndpoint(completion), token, prompt);
    await telemetry!.flush();
    const [span] = modelSpans(received);
    expect(span?.attributes[genAi.inputMessages]).toContain(prompt);
    expect(span?.attributes[genAi.outputMessages]).toContain(completion);
    const everything = received.rawBodies.join('\n');
    for (const part of token.split('.')) expect(everything).not.toContain(part);
  });
});
