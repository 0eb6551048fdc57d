import { AuthenticationError } from 'openai';
import { describe, expect, it } from 'vitest';
import { openaiClient } from '../src/index.ts';
import { chatDataAction, responsesDataAction, roleless, useStack } from './stack.ts';

const stack = useStack();

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

describe('the openai SDK (v1 API, ai.azure.com scope)', () => {
  it('answers chat completions', async () => {
    const { endpoint, chatDeployment } = stack();
    const completion = await openaiClient(endpoint).chat.completions.create({
      model: chatDeployment,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: Hello');
  });

  it('streams chat completions', async () => {
    const { endpoint, chatDeployment } = stack();
    const stream = await openaiClient(endpoint).chat.completions.create({
      model: chatDeployment,
      messages: [{ role: 'user', content: 'Stream' }],
      stream: true,
    });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    expect(parts.join('')).toBe('You said: Stream');
  });

  it('computes embeddings', async () => {
    const { endpoint, embeddingDeployment } = stack();
    const result = await openaiClient(endpoint).embeddings.create({
      model: embeddingDeployment,
      input: 'keyless',
    });
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
  });

  it('answers Responses, streamed too', async () => {
    const { endpoint, chatDeployment } = stack();
    const client = openaiClient(endpoint);
    const response = await client.responses.create({ model: chatDeployment, input: 'Hi' });
    expect(response.output_text).toBe('You said: Hi');
    const stream = client.responses.stream({ model: chatDeployment, input: 'Hi again' });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    await stream.finalResponse();
    expect(text).toBe('You said: Hi again');
  });

  it('completes a Responses tool call round trip', async () => {
    const { endpoint, chatDeployment } = stack();
    const client = openaiClient(endpoint);
    const first = await client.responses.create({
      model: chatDeployment,
      input: 'Use get_weather for Oslo',
      tools: [weather],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    const second = await client.responses.create({
      model: chatDeployment,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    expect(second.output_text).toBe('The function get_weather returned: sunny');
  });

  it('completes a chat tool call round trip', async () => {
    const { endpoint, chatDeployment } = stack();
    const client = openaiClient(endpoint);
    const tools = [
      {
        type: 'function' as const,
        function: { name: weather.name, parameters: weather.parameters },
      },
    ];
    const ask = { role: 'user' as const, content: 'Use get_weather for Oslo' };
    const first = await client.chat.completions.create({
      model: chatDeployment,
      messages: [ask],
      tools,
    });
    const message = first.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    if (!message || !call) throw new Error('expected a tool call');
    const second = await client.chat.completions.create({
      model: chatDeployment,
      messages: [ask, message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
      tools,
    });
    expect(second.choices[0]?.message.content).toBe('The function get_weather returned: sunny');
  });

  it("answers a principal without the role with Azure's 401 PermissionDenied naming the data action", async () => {
    const { endpoint, chatDeployment, rolelessCredential } = stack();
    const client = openaiClient(endpoint, rolelessCredential);
    const responses = client.responses.create({ model: chatDeployment, input: 'x' });
    await expect(responses).rejects.toBeInstanceOf(AuthenticationError);
    await expect(responses).rejects.toMatchObject({
      status: 401,
      code: 'PermissionDenied',
      message: expect.stringContaining(responsesDataAction),
    });
    await expect(responses).rejects.toMatchObject({
      message: expect.stringContaining(roleless.principalId),
    });
    await expect(
      client.chat.completions.create({
        model: chatDeployment,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 401, message: expect.stringContaining(chatDataAction) });
  });
});
