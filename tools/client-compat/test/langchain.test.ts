import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { langchainModels } from '../src/index.ts';
import { chatDataAction, roleless, useStack } from './stack.ts';

const stack = useStack();

const getWeather = tool(
  ({ city }: { city: string }) => `sunny in ${city.length > 0 ? 'the city' : 'nowhere'}`,
  {
    name: 'get_weather',
    description: 'The weather in a city',
    schema: z.object({ city: z.string() }),
  },
);

function models() {
  const { endpoint, chatDeployment, embeddingDeployment } = stack();
  return langchainModels(endpoint, { chat: chatDeployment, embedding: embeddingDeployment });
}

describe('LangChain.js (@langchain/openai with azureADTokenProvider)', () => {
  it('answers AzureChatOpenAI.invoke', async () => {
    const reply = await models().chat.invoke('Hello');
    expect(reply.content).toBe('You said: Hello');
  });

  it('streams', async () => {
    const parts: string[] = [];
    for await (const chunk of await models().chat.stream('Stream')) {
      parts.push(typeof chunk.content === 'string' ? chunk.content : '');
    }
    expect(parts.filter(Boolean).length).toBeGreaterThan(1);
    expect(parts.join('')).toBe('You said: Stream');
  });

  it('completes a tool call round trip', async () => {
    const model = models().chat.bindTools([getWeather]);
    const ask = new HumanMessage('Use get_weather for Oslo');
    const first = await model.invoke([ask]);
    const call = first.tool_calls?.[0];
    expect(call?.name).toBe('get_weather');
    if (!call?.id) throw new Error('expected a tool call with an id');
    const output = await getWeather.invoke(call.args as { city: string });
    const second = await model.invoke([
      ask,
      first,
      new ToolMessage({ tool_call_id: call.id, content: String(output) }),
    ]);
    expect(second.content).toBe('The function get_weather returned: sunny in the city');
  });

  it('embeds with AzureOpenAIEmbeddings', async () => {
    const vector = await models().embeddings.embedQuery('keyless');
    expect(vector.length).toBeGreaterThan(0);
  });

  it("answers a principal without the role with Azure's 401 PermissionDenied naming the data action", async () => {
    const { endpoint, chatDeployment, embeddingDeployment, rolelessCredential } = stack();
    const { chat } = langchainModels(
      endpoint,
      { chat: chatDeployment, embedding: embeddingDeployment },
      rolelessCredential,
    );
    const failure = await chat.invoke('x').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      status: 401,
      message: expect.stringContaining(chatDataAction),
    });
    expect(String((failure as Error).message)).toContain(roleless.principalId);
  });
});
