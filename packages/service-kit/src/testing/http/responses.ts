/**
 * The Responses contract: POST /api/responses as JSON and as server-sent events, multi-turn with
 * previousResponseId or with the conversation sent back, the example tool's round trip, bad input,
 * and the dated API (which has no Responses) answering 501 while /api/chat keeps working.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hello, postJson, problemOf, readEvents } from './http-client.ts';
import { expectPostOnly, readDeltaStream } from './model-routes.ts';
import type { UpstreamRecord } from './recording-proxy.ts';
import { spawnService } from './service-process.ts';
import type { GetState } from './suite-state.ts';

interface ResponsesAnswer {
  responseId: string;
  status: string;
  incompleteReason: string | null;
  message: { role: string; content: string };
  toolCalls: Array<{ name: string; arguments: string; output: string }>;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

/** A prompt that names the example tool, so the model calls it. */
const toolPrompt = 'Use calculate to add 2 and 3.';

function upstreamBody(record: UpstreamRecord | undefined): Record<string, unknown> {
  expect(record).toBeDefined();
  return JSON.parse(record!.body) as Record<string, unknown>;
}

/** The upstream calls made since `from`, once their bodies have arrived. */
async function upstreamSince(state: GetState, from: number): Promise<UpstreamRecord[]> {
  const { proxy } = state();
  await expect
    .poll(() => proxy.records.slice(from).every((record) => record.body !== ''))
    .toBe(true);
  return proxy.records.slice(from);
}

/** What the example tool must have answered for the arguments the model sent. */
function expectedOutput(argumentsJson: string): string {
  const { operation, a, b } = JSON.parse(argumentsJson) as {
    operation: string;
    a: number;
    b: number;
  };
  const results: Record<string, number> = { add: a + b, subtract: a - b, multiply: a * b };
  if (operation === 'divide')
    return JSON.stringify(b === 0 ? { error: 'division by zero' } : { result: a / b });
  return JSON.stringify({ result: results[operation] });
}

export function responsesContract(state: GetState): void {
  const url = () => `${state().service.url}/api/responses`;

  describe('POST /api/responses', () => {
    it('answers from the Responses API with the responseId, the status and the token usage', async () => {
      const from = state().proxy.records.length;
      const response = await postJson(url(), { input: 'Hello there' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as ResponsesAnswer;
      expect(body).toEqual({
        responseId: expect.any(String),
        status: 'completed',
        incompleteReason: null,
        message: { role: 'assistant', content: expect.stringContaining('Hello there') },
        toolCalls: [],
        usage: {
          inputTokens: expect.any(Number),
          outputTokens: expect.any(Number),
          totalTokens: body.usage.inputTokens + body.usage.outputTokens,
        },
      });
      const [call] = await upstreamSince(state, from);
      expect(call?.path).toBe('/openai/v1/responses');
      expect(call?.headers.authorization).toMatch(/^Bearer ey/);
    });

    it('sends max_output_tokens and never temperature, which reasoning models refuse', async () => {
      const from = state().proxy.records.length;
      const words = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
      const response = await postJson(url(), { input: words, maxOutputTokens: 16 });
      const body = (await response.json()) as ResponsesAnswer;
      expect(body).toMatchObject({ status: 'incomplete', incompleteReason: 'max_output_tokens' });
      expect(body.usage.outputTokens).toBe(16);
      const sent = upstreamBody((await upstreamSince(state, from))[0]);
      expect(sent).toMatchObject({ max_output_tokens: 16 });
      expect(sent).not.toHaveProperty('temperature');
      expect(sent).not.toHaveProperty('max_tokens');
    });

    it('continues a conversation from the responseId passed back as previousResponseId', async () => {
      const first = (await (
        await postJson(url(), { input: 'My name is Ada.' })
      ).json()) as ResponsesAnswer;
      const fresh = (await (
        await postJson(url(), { input: 'What is my name?' })
      ).json()) as ResponsesAnswer;
      const from = state().proxy.records.length;
      const response = await postJson(url(), {
        input: 'What is my name?',
        previousResponseId: first.responseId,
      });
      expect(response.status).toBe(200);
      const next = (await response.json()) as ResponsesAnswer;
      expect(next.responseId).not.toBe(first.responseId);
      // The stored turn counts as input: the model saw the conversation, not only the question.
      expect(next.usage.inputTokens).toBeGreaterThan(fresh.usage.inputTokens);
      expect(upstreamBody((await upstreamSince(state, from))[0])).toMatchObject({
        previous_response_id: first.responseId,
      });
    });

    it('continues a conversation sent back in full as input', async () => {
      const response = await postJson(url(), {
        instructions: 'Be brief.',
        input: [
          { role: 'user', content: 'My name is Ada.' },
          { role: 'assistant', content: 'Hello Ada.' },
          { role: 'user', content: 'What is my name?' },
        ],
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as ResponsesAnswer;
      expect(body.message.content).toContain('What is my name?');
      const single = (await (
        await postJson(url(), { input: 'What is my name?' })
      ).json()) as ResponsesAnswer;
      expect(body.usage.inputTokens).toBeGreaterThan(single.usage.inputTokens);
    });

    it('runs the example tool the model calls and feeds its result back with function_call_output', async () => {
      const from = state().proxy.records.length;
      const response = await postJson(url(), { input: toolPrompt });
      expect(response.status).toBe(200);
      const body = (await response.json()) as ResponsesAnswer;
      expect(body.toolCalls).toHaveLength(1);
      const [toolCall] = body.toolCalls;
      expect(toolCall).toEqual({
        name: 'calculate',
        arguments: expect.any(String),
        output: expect.any(String),
      });
      expect(toolCall!.output).toBe(expectedOutput(toolCall!.arguments));
      expect(body.message.content).toContain(toolCall!.output);
      const calls = await upstreamSince(state, from);
      expect(calls).toHaveLength(2);
      const [ask, answer] = calls.map(upstreamBody);
      expect(ask).toMatchObject({
        tools: [expect.objectContaining({ type: 'function', name: 'calculate' })],
      });
      expect(answer).toMatchObject({
        previous_response_id: expect.any(String),
        input: [
          { type: 'function_call_output', call_id: expect.any(String), output: toolCall!.output },
        ],
      });
      expect(body.usage.inputTokens).toBeGreaterThan(0);
    });

    it('answers 400 naming every failing field', async () => {
      const response = await postJson(url(), {
        input: [{ role: 'robot', content: 7 }],
        previousResponseId: 'not an id!',
        maxOutputTokens: 4,
        stream: 'yes',
      });
      expect(response.status).toBe(400);
      const problem = (await problemOf(response)) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((error) => error.path)).toEqual([
        'input[0].role',
        'input[0].content',
        'previousResponseId',
        'stream',
        'maxOutputTokens',
      ]);
    });

    it('answers 400 for a missing or empty input', async () => {
      for (const body of [{}, { input: '' }, { input: [] }]) {
        const response = await postJson(url(), body);
        expect(response.status).toBe(400);
        const problem = (await problemOf(response)) as { errors: Array<{ path: string }> };
        expect(problem.errors.map((error) => error.path)).toEqual(['input']);
      }
    });

    it('passes on the model endpoint refusing an unknown previousResponseId as a 400', async () => {
      const response = await postJson(url(), { input: 'hi', previousResponseId: 'resp_unknown' });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        type: 'urn:keyless:problem:upstream-rejected',
      });
    });

    it('maps an upstream 429 as chat does, with Retry-After', async () => {
      const { strict, controls } = state();
      await controls.injectFault({ kind: 'status', status: 429, count: 1, retryAfterMs: 3000 });
      try {
        const response = await postJson(`${strict.url}/api/responses`, { input: 'hi' });
        expect(response.status).toBe(429);
        expect(response.headers.get('retry-after')).toBe('3');
        await problemOf(response);
      } finally {
        await controls.clearFaults();
      }
    });

    it('answers 405 with Allow for other methods', async () => {
      await expectPostOnly(url());
    });
  });

  describe('POST /api/responses with stream: true', () => {
    it('relays the text deltas as server-sent events, then a done event with the responseId', async () => {
      const response = await postJson(url(), { input: 'Hello there', stream: true });
      const { events, deltas } = await readDeltaStream(response, 'Hello there');
      expect(events.at(-1)).toEqual({
        event: 'done',
        data: {
          responseId: expect.any(String),
          status: 'completed',
          incompleteReason: null,
          usage: expect.objectContaining({ outputTokens: deltas.length }),
        },
      });
      const { responseId } = events.at(-1)!.data as { responseId: string };
      const next = await postJson(url(), { input: 'again', previousResponseId: responseId });
      expect(next.status).toBe(200);
    });

    it('reports the tool call it ran as a tool event, then streams the answer built on it', async () => {
      const response = await postJson(url(), { input: toolPrompt, stream: true });
      const events = await readEvents(response);
      const toolIndex = events.findIndex((event) => event.event === 'tool');
      expect(toolIndex).toBeGreaterThanOrEqual(0);
      const toolCall = events[toolIndex]!.data as {
        name: string;
        arguments: string;
        output: string;
      };
      expect(toolCall.name).toBe('calculate');
      expect(toolCall.output).toBe(expectedOutput(toolCall.arguments));
      const answer = events
        .slice(toolIndex + 1)
        .filter((event) => event.event === 'message')
        .map((event) => (event.data as { delta: string }).delta)
        .join('');
      expect(answer).toContain(toolCall.output);
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'completed' } });
    });
  });
}

/** The Responses route on the dated API, in a service process of its own. */
export function datedApi(state: GetState): void {
  describe('POST /api/responses on the dated API', () => {
    it('answers 501 naming AZURE_OPENAI_API_VERSION, while /api/chat keeps serving chat completions', async ({
      expect,
    }) => {
      const { env, main, proxy } = state();
      const dated = await spawnService(main, { ...env, AZURE_OPENAI_API_VERSION: '2024-10-21' });
      try {
        const response = await postJson(`${dated.url}/api/responses`, { input: 'hi' });
        expect(response.status).toBe(501);
        const problem = await problemOf(response);
        expect(problem).toMatchObject({ type: 'urn:keyless:problem:not-configured' });
        expect(problem.detail).toContain('AZURE_OPENAI_API_VERSION');
        // Other services call through the same proxy meanwhile: this call's records carry its id.
        const requestId = `dated-${randomUUID()}`;
        const chat = await postJson(`${dated.url}/api/chat`, hello, { 'x-request-id': requestId });
        expect(chat.status).toBe(200);
        const calls = proxy.records.filter(
          (record) => record.headers['x-ms-client-request-id'] === requestId,
        );
        expect(calls.map((record) => record.path)).toEqual([
          expect.stringMatching(
            /^\/openai\/deployments\/[^/]+\/chat\/completions\?api-version=2024-10-21$/,
          ),
        ]);
      } finally {
        await dated.stop();
      }
    });
  });
}
