import { APICallError, embed, generateText, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aiSdkProvider } from '../src/index.ts';
import { chatDataAction, responsesDataAction, roleless, useStack } from './stack.ts';

const stack = useStack();

const getWeather = tool({
  description: 'The weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: ({ city }) => Promise.resolve(`sunny in ${city.length > 0 ? 'the city' : 'nowhere'}`),
});

describe('the Vercel AI SDK (@ai-sdk/azure with tokenProvider)', () => {
  it('answers generateText on the default model, which is the Responses API', async () => {
    const { endpoint, chatDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const result = await generateText({ model: azure(chatDeployment), prompt: 'Hello' });
    expect(result.text).toBe('You said: Hello');
    expect(result.response.id).toMatch(/^resp_/);
  });

  it('answers generateText on chat completions too', async () => {
    const { endpoint, chatDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const result = await generateText({ model: azure.chat(chatDeployment), prompt: 'Hello' });
    expect(result.text).toBe('You said: Hello');
  });

  it('streams with streamText', async () => {
    const { endpoint, chatDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const result = streamText({ model: azure(chatDeployment), prompt: 'Stream' });
    const parts: string[] = [];
    for await (const part of result.textStream) parts.push(part);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe('You said: Stream');
  });

  it('completes a tool call round trip on the Responses model', async () => {
    const { endpoint, chatDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const result = await generateText({
      model: azure(chatDeployment),
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(2),
      prompt: 'Use get_weather for Oslo',
    });
    expect(result.steps[0]?.toolCalls[0]?.toolName).toBe('get_weather');
    expect(result.text).toBe('The function get_weather returned: sunny in the city');
  });

  it('completes a tool call round trip on chat completions', async () => {
    const { endpoint, chatDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const result = await generateText({
      model: azure.chat(chatDeployment),
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(2),
      prompt: 'Use get_weather for Oslo',
    });
    expect(result.text).toContain('The function get_weather returned:');
    expect(result.text).toContain('sunny in the city');
  });

  it('embeds a value', async () => {
    const { endpoint, embeddingDeployment } = stack();
    const azure = aiSdkProvider(endpoint);
    const { embedding } = await embed({
      model: azure.embedding(embeddingDeployment),
      value: 'keyless',
    });
    expect(embedding.length).toBeGreaterThan(0);
  });

  it("answers a principal without the role with Azure's 401 PermissionDenied naming the data action", async () => {
    const { endpoint, chatDeployment, rolelessCredential } = stack();
    const azure = aiSdkProvider(endpoint, rolelessCredential);
    for (const [model, action] of [
      [azure(chatDeployment), responsesDataAction],
      [azure.chat(chatDeployment), chatDataAction],
    ] as const) {
      const failure = await generateText({ model, prompt: 'x', maxRetries: 0 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(APICallError.isInstance(failure)).toBe(true);
      const error = failure as APICallError;
      expect(error.statusCode).toBe(401);
      expect(error.responseBody).toContain('PermissionDenied');
      expect(error.responseBody).toContain(action);
      expect(error.responseBody).toContain(roleless.principalId);
    }
  });
});
