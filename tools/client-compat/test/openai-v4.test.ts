import { AuthenticationError } from 'openai-v4';
import { describe, expect, it } from 'vitest';
import { azureOpenAIClient } from '../src/index.ts';
import { chatDataAction, roleless, useStack } from './stack.ts';

const stack = useStack();

describe("the seed's snippet: AzureOpenAI on openai 4.x (dated API, cognitiveservices scope)", () => {
  it('answers chat completions', async () => {
    const { endpoint, chatDeployment } = stack();
    const completion = await azureOpenAIClient(endpoint, chatDeployment).chat.completions.create({
      model: '',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: Hello');
  });

  it('streams chat completions', async () => {
    const { endpoint, chatDeployment } = stack();
    const stream = await azureOpenAIClient(endpoint, chatDeployment).chat.completions.create({
      model: '',
      messages: [{ role: 'user', content: 'Stream' }],
      stream: true,
    });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    expect(parts.join('')).toBe('You said: Stream');
  });

  it('completes a tool call round trip', async () => {
    const { endpoint, chatDeployment } = stack();
    const client = azureOpenAIClient(endpoint, chatDeployment);
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const ask = { role: 'user' as const, content: 'Use get_weather for Oslo' };
    const first = await client.chat.completions.create({ model: '', messages: [ask], tools });
    const message = first.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    if (!message || !call) throw new Error('expected a tool call');
    expect(call.function.name).toBe('get_weather');
    const second = await client.chat.completions.create({
      model: '',
      messages: [ask, message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
      tools,
    });
    expect(second.choices[0]?.message.content).toBe('The function get_weather returned: sunny');
  });

  it("answers a principal without the role with Azure's 401 PermissionDenied naming the data action", async () => {
    const { endpoint, chatDeployment, rolelessCredential } = stack();
    const attempt = azureOpenAIClient(
      endpoint,
      chatDeployment,
      rolelessCredential,
    ).chat.completions.create({
      model: '',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
    await expect(attempt).rejects.toMatchObject({
      status: 401,
      code: 'PermissionDenied',
      message: expect.stringContaining(chatDataAction),
    });
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringContaining(roleless.principalId),
    });
  });
});
