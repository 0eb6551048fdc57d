import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClient, jsonRequest, startHarness, type Harness } from './fixture.ts';
import { specValidator } from './spec/spec-validator.ts';

const { validator, expectValid } = specValidator(
  new Ajv2020({ strict: false, allErrors: true, validateFormats: false }),
  'openai-v1',
  new URL('./spec/openai-v1.schemas.json', import.meta.url),
);

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

/** The stream event types the emulator sends, each with the schema the spec gives it. */
const eventSchemas: Record<string, string> = {
  'response.created': 'ResponseCreatedEvent',
  'response.in_progress': 'ResponseInProgressEvent',
  'response.output_item.added': 'ResponseOutputItemAddedEvent',
  'response.content_part.added': 'ResponseContentPartAddedEvent',
  'response.output_text.delta': 'ResponseTextDeltaEvent',
  'response.output_text.done': 'ResponseTextDoneEvent',
  'response.content_part.done': 'ResponseContentPartDoneEvent',
  'response.output_item.done': 'ResponseOutputItemDoneEvent',
  'response.function_call_arguments.delta': 'ResponseFunctionCallArgumentsDeltaEvent',
  'response.function_call_arguments.done': 'ResponseFunctionCallArgumentsDoneEvent',
  'response.completed': 'ResponseCompletedEvent',
  'response.incomplete': 'ResponseIncompleteEvent',
};

describe("v1 answers against OpenAI's published OpenAPI description", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const responsesUrl = () => `${harness.emulator.url}/openai/v1/responses`;

  async function post(url: string, body: unknown) {
    const response = await fetch(url, jsonRequest(harness.token, body));
    const json: unknown = await response.json();
    return { status: response.status, body: json };
  }

  async function streamEvents(body: Record<string, unknown>) {
    const response = await fetch(
      responsesUrl(),
      jsonRequest(harness.token, { ...body, stream: true }),
    );
    const frames = (await response.text()).split('\n\n').filter(Boolean);
    return frames.map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const event = JSON.parse(dataLine?.slice('data: '.length) ?? '') as { type: string };
      expect(eventLine).toBe(`event: ${event.type}`);
      return event;
    });
  }

  it('rejects a response without output, so the validator has teeth', () => {
    expect(validator('Response')({ id: 'resp_1', object: 'response' })).toBe(false);
  });

  it('answers Responses bodies that validate as Response: text, JSON, incomplete, function call, follow-up', async () => {
    const first = await post(responsesUrl(), {
      model: 'gpt-4o-mini',
      input: 'Use get_weather',
      tools: [weather],
    });
    const call = first.body as { id: string; output: { call_id: string }[] };
    const bodies = [
      first,
      await post(responsesUrl(), {
        model: 'gpt-4o-mini',
        input: 'Hello',
        instructions: 'Be brief.',
      }),
      await post(responsesUrl(), {
        model: 'gpt-4o-mini',
        input: [{ role: 'user', content: 'JSON please' }],
        text: {
          format: {
            type: 'json_schema',
            name: 'x',
            schema: {
              type: 'object',
              properties: { a: { type: 'string' } },
              required: ['a'],
              additionalProperties: false,
            },
          },
        },
      }),
      await post(responsesUrl(), {
        model: 'gpt-4o-mini',
        input: 'a b c d e f g h i j k l m n o p q r',
        max_output_tokens: 16,
      }),
      await post(responsesUrl(), {
        model: 'gpt-4o-mini',
        previous_response_id: call.id,
        input: [
          { type: 'function_call_output', call_id: call.output[0]?.call_id, output: 'sunny' },
        ],
      }),
    ];
    for (const { status, body } of bodies) {
      expect(status).toBe(200);
      expectValid('Response', body);
    }
  });

  it('streams events that each validate against their schema in the spec', async () => {
    const events = [
      ...(await streamEvents({ model: 'gpt-4o-mini', input: 'Stream me' })),
      ...(await streamEvents({ model: 'gpt-4o-mini', input: 'Use get_weather', tools: [weather] })),
      ...(await streamEvents({
        model: 'gpt-4o-mini',
        input: 'a b c d e f g h i j k l m n o p q r',
        max_output_tokens: 16,
      })),
    ];
    const seen = new Set(events.map((event) => event.type));
    expect([...seen].sort()).toEqual(Object.keys(eventSchemas).sort());
    for (const event of events) {
      expectValid(eventSchemas[event.type] ?? 'unknown event type', event);
    }
  });

  it('answers v1 chat completions, tool calls included, that validate as CreateChatCompletionResponse', async () => {
    const client = emulatorClient(harness);
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', parameters: weather.parameters },
      },
    ];
    for (const content of ['Hello', 'Use get_weather']) {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content }],
        tools,
      });
      expectValid('CreateChatCompletionResponse', completion);
    }
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Use get_weather' }],
      tools,
      stream: true,
    });
    for await (const chunk of stream) expectValid('CreateChatCompletionStreamResponse', chunk);
  });
});
