import type OpenAI from 'openai';
import { AzureOpenAI, BadRequestError, NotFoundError } from 'openai';
import type { FunctionTool, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClient, jsonRequest, principalOf, roleless, startHarness } from './fixture.ts';
import type { Harness } from './fixture.ts';

const weather: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
    additionalProperties: false,
  },
};

describe('the Responses API (POST/GET/DELETE /openai/v1/responses)', () => {
  let harness: Harness;
  let client: OpenAI;
  beforeAll(async () => {
    harness = await startHarness();
    client = emulatorClient(harness, { maxRetries: 0 });
  });
  afterAll(() => harness.close());

  it('answers a string input with a completed response whose output_text echoes it', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello there' });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.id).toMatch(/^resp_/);
    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(response.output_text).toBe('You said: Hello there');
    // "Hello there" is 2 tokens, framed 3 + 3; the reply "You said: Hello there" is 5.
    expect(response.usage).toMatchObject({ input_tokens: 8, output_tokens: 5, total_tokens: 13 });
  });

  it('answers input items, counts instructions as input and echoes the sampling settings', async () => {
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Parts work' }] },
      ],
      temperature: 0.2,
      top_p: 0.5,
    });
    expect(response.output_text).toBe('You said: Parts work');
    expect(response.instructions).toBe('Be brief.');
    expect(response).toMatchObject({ temperature: 0.2, top_p: 0.5 });
    // "Be brief." 3, "Answer in English." 4, "Parts work" 2: (3+3) + (3+4) + (3+2) + 3.
    expect(response.usage?.input_tokens).toBe(21);
  });

  it('stops at max_output_tokens with an incomplete response that says why', async () => {
    const words = Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ');
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      input: words,
      max_output_tokens: 16,
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(16);
    expect(response.output_text).toBe(`You said: ${words.split(' ').slice(0, 13).join(' ')}`);
  });

  it('answers a json_schema text format with JSON that fits the schema', async () => {
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Plan a trip',
      text: {
        format: {
          type: 'json_schema',
          name: 'trip',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              destination: { type: 'string' },
              nights: { type: 'integer', minimum: 2 },
              refundable: { type: 'boolean' },
              kind: { type: 'string', enum: ['city', 'beach'] },
              stops: { type: 'array', items: { $ref: '#/$defs/stop' } },
            },
            required: ['destination', 'nights', 'refundable', 'kind', 'stops'],
            additionalProperties: false,
            $defs: {
              stop: {
                type: 'object',
                properties: { name: { type: 'string' } },
                required: ['name'],
                additionalProperties: false,
              },
            },
          },
        },
      },
    });
    expect(JSON.parse(response.output_text)).toEqual({
      destination: 'You said: Plan a trip',
      nights: 2,
      refundable: true,
      kind: 'city',
      stops: [{ name: 'You said: Plan a trip' }],
    });
  });

  it('calls a declared function the input names, and completes the turn with function_call_output', async () => {
    const first = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Use get_weather for Oslo',
      tools: [weather],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(JSON.parse(call.arguments)).toEqual({
      city: 'Use get_weather for Oslo',
      unit: 'celsius',
    });

    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' }],
      tools: [weather],
    });
    expect(second.output_text).toBe('The function get_weather returned: {"temp":21}');
  });

  it('completes the round trip with the conversation sent back instead of previous_response_id', async () => {
    const first = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Use get_weather for Oslo',
      tools: [weather],
      store: false,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      input: [
        { role: 'user', content: 'Use get_weather for Oslo' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: 'rain' },
      ],
      tools: [weather],
      store: false,
    });
    expect(second.output_text).toBe('The function get_weather returned: rain');
  });

  it('refuses a function_call_output whose call it has never seen, naming the fix', async () => {
    const attempt = client.responses.create({
      model: 'gpt-4o-mini',
      input: [{ type: 'function_call_output', call_id: 'call_unknown', output: 'x' }],
    });
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      param: 'input',
      message: expect.stringContaining('call_unknown'),
    });
  });

  it('continues a stored conversation with previous_response_id', async () => {
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'First' });
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Second',
      previous_response_id: first.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text).toBe('You said: Second');
    // The earlier turn (First, its reply) counts as input: (3+1) + (3+4) + (3+1) + 3.
    expect(second.usage?.input_tokens).toBe(18);
  });

  it('retrieves a stored response with GET and removes it with DELETE', async () => {
    const created = await client.responses.create({ model: 'gpt-4o-mini', input: 'Keep me' });
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched.id).toBe(created.id);
    expect(fetched.output_text).toBe('You said: Keep me');
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.responses.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps nothing with store: false, so neither GET nor previous_response_id finds it', async () => {
    const created = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Forget me',
      store: false,
    });
    expect(created).toMatchObject({ store: false });
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      client.responses.create({
        model: 'gpt-4o-mini',
        input: 'Again',
        previous_response_id: created.id,
      }),
    ).rejects.toMatchObject({ status: 400, param: 'previous_response_id' });
  });

  it('streams the Responses event sequence with increasing sequence numbers', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Stream me',
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array.from({ length: 5 }, () => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const deltas = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(deltas.join('')).toBe('You said: Stream me');
  });

  it('streams a function call as argument deltas that the SDK reassembles', async () => {
    const stream = client.responses.stream({
      model: 'gpt-4o-mini',
      input: 'Use get_weather for Oslo',
      tools: [weather],
    });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const final = await stream.finalResponse();
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types).toContain('response.function_call_arguments.done');
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' ? JSON.parse(call.arguments) : undefined).toEqual({
      city: 'Use get_weather for Oslo',
      unit: 'celsius',
    });
  });

  it('ends a stream cut by max_output_tokens with response.incomplete', async () => {
    const words = Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ');
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: words,
      max_output_tokens: 16,
      stream: true,
    });
    let last: ResponseStreamEvent | undefined;
    for await (const event of stream) last = event;
    expect(last?.type).toBe('response.incomplete');
  });

  it('refuses an embeddings deployment with OperationNotSupported and an unknown one with DeploymentNotFound', async () => {
    await expect(
      client.responses.create({ model: 'text-embedding-3-small', input: 'x' }),
    ).rejects.toMatchObject({ status: 400, code: 'OperationNotSupported' });
    await expect(client.responses.create({ model: 'nope', input: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'DeploymentNotFound',
    });
  });

  it('refuses max_output_tokens below 16 and a request with no input, naming the parameter', async () => {
    for (const [body, param] of [
      [{ model: 'gpt-4o-mini', input: 'x', max_output_tokens: 3 }, 'max_output_tokens'],
      [{ model: 'gpt-4o-mini' }, 'input'],
    ] as const) {
      const response = await fetch(
        `${harness.emulator.url}/openai/v1/responses`,
        jsonRequest(harness.token, body),
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
    }
  });

  it('charges the deployment quota and answers 429 with retry headers past it', async () => {
    const limited = await startHarness();
    try {
      limited.emulator.setLimits('gpt-4o-mini', { requestsPerMinute: 1 });
      const url = `${limited.emulator.url}/openai/v1/responses`;
      const body = { model: 'gpt-4o-mini', input: 'x' };
      expect((await fetch(url, jsonRequest(limited.token, body))).status).toBe(200);
      const refused = await fetch(url, jsonRequest(limited.token, body));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after-ms')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'Responses_Create',
      );
    } finally {
      await limited.close();
    }
  });
});

describe('Responses RBAC, as Azure checks it', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const url = (suffix = '') => `${harness.emulator.url}/openai/v1/responses${suffix}`;

  it('answers a principal without the role with 401 PermissionDenied naming responses/write', async () => {
    const stranger = await harness.issuer.mint({ oid: roleless.principalId });
    const response = await fetch(
      url(),
      jsonRequest(stranger, { model: 'gpt-4o-mini', input: 'x' }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: 'PermissionDenied',
        message: `The principal \`${roleless.principalId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/responses/write\` to perform \`POST /openai/v1/responses\` operation.`,
      },
    });
  });

  it('names responses/read for GET and responses/delete for DELETE', async () => {
    const stranger = await harness.issuer.mint({ oid: roleless.principalId });
    for (const [method, action] of [
      ['GET', 'responses/read'],
      ['DELETE', 'responses/delete'],
    ] as const) {
      const response = await fetch(url('/resp_x'), {
        method,
        headers: { authorization: `Bearer ${stranger}` },
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain(`Microsoft.CognitiveServices/accounts/OpenAI/${action}`);
      expect(body.error.message).toContain(`${method} /openai/v1/responses/{response_id}`);
    }
  });

  it('accepts tokens for both https://ai.azure.com and https://cognitiveservices.azure.com', async () => {
    for (const aud of ['https://ai.azure.com', 'https://cognitiveservices.azure.com']) {
      const token = await harness.issuer.mint({ oid: roleless.principalId, aud });
      const api = await harness.issuer.mint({
        oid: principalOf('id-api'),
        aud,
      });
      expect(
        (await fetch(url(), jsonRequest(api, { model: 'gpt-4o-mini', input: 'x' }))).status,
      ).toBe(200);
      expect(
        (await fetch(url(), jsonRequest(token, { model: 'gpt-4o-mini', input: 'x' }))).status,
      ).toBe(401);
    }
  });

  it('refuses an api-key with 403 and no token with 401, before reading the body', async () => {
    const keyed = await fetch(url(), jsonRequest(undefined, {}, { 'api-key': 'k' }));
    expect(keyed.status).toBe(403);
    const anonymous = await fetch(url(), jsonRequest(undefined, {}));
    expect(anonymous.status).toBe(401);
  });

  it('answers GET of a response that was never stored with 404', async () => {
    const response = await fetch(url('/resp_missing'), {
      headers: { authorization: `Bearer ${harness.token}` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('apim-request-id')).toBeTruthy();
  });
});

describe('the preview Responses API on /openai/responses?api-version=...', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('serves AzureOpenAI (the dated client) with a Responses preview version: create, retrieve, delete', async () => {
    const client = new AzureOpenAI({
      endpoint: harness.emulator.url,
      apiVersion: '2025-04-01-preview',
      azureADTokenProvider: () => Promise.resolve(harness.token),
    });
    const created = await client.responses.create({ model: 'gpt-4o-mini', input: 'Dated' });
    expect(created.output_text).toBe('You said: Dated');
    expect((await client.responses.retrieve(created.id)).id).toBe(created.id);
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is no route at all for a version without Responses, as in Azure', async () => {
    const response = await fetch(
      `${harness.emulator.url}/openai/responses?api-version=2024-10-21`,
      jsonRequest(harness.token, { model: 'gpt-4o-mini', input: 'x' }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: '404', message: 'Resource not found' },
    });
  });

  it('names POST /openai/responses in PermissionDenied', async () => {
    const stranger = await harness.issuer.mint({ oid: roleless.principalId });
    const response = await fetch(
      `${harness.emulator.url}/openai/responses?api-version=2025-03-01-preview`,
      jsonRequest(stranger, { model: 'gpt-4o-mini', input: 'x' }),
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      '`Microsoft.CognitiveServices/accounts/OpenAI/responses/write` to perform `POST /openai/responses` operation.',
    );
  });
});
