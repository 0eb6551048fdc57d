import { describe, expect, it } from 'vitest';
import { createKeylessClients, loadConfig } from '../src/index.ts';
import { rolelessIdentity, useStack } from './local-stack.ts';

const stack = useStack();

function clientsFor(identityName: string) {
  return createKeylessClients(loadConfig(stack().envFor(identityName)));
}

const lookup = {
  type: 'function' as const,
  name: 'lookup_order',
  strict: true,
  parameters: {
    type: 'object',
    properties: { orderId: { type: 'string' } },
    required: ['orderId'],
    additionalProperties: false,
  },
};

describe('the v1 client and the Responses API, with no extra set-up', () => {
  it('creates a response with the token of the https://ai.azure.com scope', async () => {
    const clients = clientsFor('id-api');
    expect(clients.config.openai.scope).toBe('https://ai.azure.com/.default');
    const response = await clients.openai.responses.create({
      model: clients.config.openai.chatDeployment,
      input: 'Hello Responses',
    });
    expect(response.output_text).toBe('You said: Hello Responses');
  });

  it('streams a response as text deltas', async () => {
    const clients = clientsFor('id-api');
    const stream = clients.openai.responses.stream({
      model: clients.config.openai.chatDeployment,
      input: 'Stream this',
    });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    await stream.finalResponse();
    expect(text).toBe('You said: Stream this');
  });

  it('completes a tool call round trip with previous_response_id', async () => {
    const clients = clientsFor('id-api');
    const model = clients.config.openai.chatDeployment;
    const first = await clients.openai.responses.create({
      model,
      input: 'Please lookup_order 42',
      tools: [lookup],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.name).toBe('lookup_order');
    const second = await clients.openai.responses.create({
      model,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'shipped' }],
      tools: [lookup],
    });
    expect(second.output_text).toBe('The function lookup_order returned: shipped');
  });

  it('explains a principal without the role as KEYLESS_ERR_PERMISSION_DENIED naming responses/write', async () => {
    const clients = clientsFor('id-roleless');
    const failure = await clients.openai.responses
      .create({ model: clients.config.openai.chatDeployment, input: 'x' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const explained = clients.explainError(failure, 'responses');
    expect(explained?.code).toBe('KEYLESS_ERR_PERMISSION_DENIED');
    expect(explained?.detail).toContain(rolelessIdentity.principalId);
    expect(explained?.detail).toContain(
      'Microsoft.CognitiveServices/accounts/OpenAI/responses/write',
    );
    expect(explained?.fix).toContain('--role "Cognitive Services OpenAI User"');
  });
});
