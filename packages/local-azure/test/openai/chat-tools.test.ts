import type OpenAI from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClient, startHarness, type Harness } from './fixture.ts';

const weather: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1 },
      },
      required: ['city', 'unit', 'days'],
      additionalProperties: false,
    },
  },
};

describe('tool calls in chat completions', () => {
  let harness: Harness;
  let client: OpenAI;
  beforeAll(async () => {
    harness = await startHarness();
    client = emulatorClient(harness);
  });
  afterAll(() => harness.close());

  const ask: ChatCompletionMessageParam = { role: 'user', content: 'Call get_weather for Oslo' };

  it('calls a declared function that the user message names, with arguments that fit its parameters', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [ask],
      tools: [weather],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' ? call.function.name : '').toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({
      city: 'Call get_weather for Oslo',
      unit: 'celsius',
      days: 1,
    });
  });

  it('answers with the function result on the follow-up turn, completing the round trip', async () => {
    const first = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [ask],
      tools: [weather],
    });
    const message = first.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    if (!message || !call) throw new Error('expected a tool call');
    const second = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [ask, message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 °C' }],
      tools: [weather],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toBe(
      'The function get_weather returned: Sunny, 21 °C',
    );
  });

  it('does not call a function the message does not name, nor any with tool_choice none', async () => {
    const unnamed = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Just chat' }],
      tools: [weather],
    });
    expect(unnamed.choices[0]?.message.content).toBe('You said: Just chat');
    const none = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [ask],
      tools: [weather],
      tool_choice: 'none',
    });
    expect(none.choices[0]?.message.tool_calls ?? []).toEqual([]);
  });

  it('calls the function tool_choice names, or the first with required', async () => {
    for (const tool_choice of [
      { type: 'function', function: { name: 'get_weather' } } as const,
      'required' as const,
    ]) {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'anything' }],
        tools: [weather],
        tool_choice,
      });
      expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    }
  });

  it('streams a tool call that the SDK reassembles', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [ask],
      tools: [weather],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({
      city: 'Call get_weather for Oslo',
      unit: 'celsius',
      days: 1,
    });
  });

  it('answers a JSON schema response format with a value of that schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Describe Oslo' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              tags: { type: 'array', items: { type: 'string' } },
            },
            required: ['name', 'tags'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      name: 'You said: Describe Oslo',
      tags: ['You said: Describe Oslo'],
    });
  });

  it('refuses a function name with spaces, naming the parameter', async () => {
    const response = await fetch(`${harness.emulator.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [ask],
        tools: [{ type: 'function', function: { name: 'get weather' } }],
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe(
      'tools[0].function.name',
    );
  });
});
