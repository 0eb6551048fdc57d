import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specValidator } from './spec/spec-validator.ts';
import { chatUrl, hello, jsonRequest, roleless, startHarness, type Harness } from './fixture.ts';

const { validator, expectValid } = specValidator(
  new Ajv({ strict: false, allErrors: true }),
  'azure-openai',
  new URL('./spec/azure-openai-2024-10-21.schemas.json', import.meta.url),
);

describe("responses against Azure's OpenAPI spec (2024-10-21)", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ maxBodyBytes: 2048 });
  });
  afterAll(() => harness.close());

  async function post(url: string, body: unknown, token: string | undefined = harness.token) {
    const response = await fetch(url, jsonRequest(token, body));
    return { status: response.status, body: await response.json() };
  }

  it('rejects a chat completion without logprobs on its choice, so the validator has teeth', () => {
    const validate = validator('createChatCompletionResponse');
    const body = {
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: 'hi', refusal: null },
        },
      ],
    };
    expect(validate(body)).toBe(false);
  });

  it('answers chat completions that validate as createChatCompletionResponse', async () => {
    for (const request of [
      hello,
      { ...hello, max_tokens: 2 },
      { ...hello, n: 2 },
      { ...hello, response_format: { type: 'json_object' } },
    ]) {
      const { status, body } = await post(chatUrl(harness.emulator), request);
      expect(status).toBe(200);
      expectValid('createChatCompletionResponse', body);
    }
  });

  it('streams chunks that each validate as createChatCompletionStreamResponse', async () => {
    const response = await fetch(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, {
        ...hello,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    for (const event of events.slice(0, -1)) {
      expectValid('createChatCompletionStreamResponse', JSON.parse(event.slice('data: '.length)));
    }
  });

  it('answers embeddings that validate as the embeddings response', async () => {
    const { status, body } = await post(
      `${harness.emulator.url}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`,
      {
        input: ['one', 'two'],
        encoding_format: 'float',
      },
    );
    expect(status).toBe(200);
    expectValid('createEmbeddingsResponse', body);
  });

  it('answers errors that validate as errorResponse', async () => {
    const stranger = await harness.issuer.mint({ oid: roleless.principalId });
    const embeddingsUrl = `${harness.emulator.url}/openai/v1/embeddings`;
    harness.emulator.setLimits('text-embedding-3-small', { requestsPerMinute: 1 });
    const errors = [
      await post(chatUrl(harness.emulator), hello, stranger),
      await post(chatUrl(harness.emulator, 'missing'), hello),
      await post(chatUrl(harness.emulator, 'gpt-4o-mini', '1999-01-01'), hello),
      await post(chatUrl(harness.emulator), { messages: [] }),
      await post(chatUrl(harness.emulator), {
        messages: [{ role: 'user', content: 'z'.repeat(3000) }],
      }),
      await post(embeddingsUrl, { model: 'text-embedding-3-small', input: 'a' }),
      await post(embeddingsUrl, { model: 'text-embedding-3-small', input: 'b' }),
    ];
    expect(errors.map((error) => error.status)).toEqual([401, 404, 404, 400, 413, 200, 429]);
    for (const error of errors.filter((candidate) => candidate.status !== 200)) {
      expectValid('errorResponse', error.body);
    }
    const validate = validator('errorResponse');
    expect(validate({ error: { code: 401, message: 'numbers are not codes' } })).toBe(false);
  });
});
