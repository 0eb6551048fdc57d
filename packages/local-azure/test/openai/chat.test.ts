import type OpenAI from 'openai';
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatUrl, emulatorClient, hello, jsonRequest, startHarness } from './fixture.ts';
import type { Harness } from './fixture.ts';

describe('chat completions through the openai SDK', () => {
  let harness: Harness;
  let v1: OpenAI;
  let dated: AzureOpenAI;
  beforeAll(async () => {
    harness = await startHarness();
    v1 = emulatorClient(harness);
    dated = new AzureOpenAI({
      endpoint: harness.emulator.url,
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-mini',
      azureADTokenProvider: () => Promise.resolve(harness.token),
    });
  });
  afterAll(() => harness.close());

  it('answers the v1 API with a reply derived from the last user message', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is keyless auth?' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: What is keyless auth?');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it('answers the dated API through AzureOpenAI with the same reply', async () => {
    const completion = await dated.chat.completions.create({
      model: '',
      messages: [{ role: 'user', content: 'What is keyless auth?' }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: What is keyless auth?');
  });

  it('reports usage that follows the documented token rule', async () => {
    // "Hi, emulator!" is 4 tokens ("Hi" "," " emulator" "!"); the reply "You said: Hi, emulator!" is 7.
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi, emulator!' }],
    });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 3 + 4 + 3,
      completion_tokens: 7,
      total_tokens: 17,
    });
  });

  it('stops after max_tokens tokens with finish_reason length', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three four' }],
      max_tokens: 4,
    });
    expect(completion.choices[0]?.message.content).toBe('You said: one');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(4);
  });

  it('honours max_completion_tokens the same way', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three four' }],
      max_completion_tokens: 2,
    });
    expect(completion.choices[0]?.message.content).toBe('You said');
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('cuts the reply before a stop sequence', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'alpha beta gamma' }],
      stop: [' gamma'],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: alpha beta');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('answers JSON when a JSON response format is asked for', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'as json' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      reply: 'You said: as json',
    });
  });

  it('accepts the common sampling parameters and tools without changing the reply', async () => {
    const completion = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'parts work' }] }],
      temperature: 0.2,
      top_p: 0.9,
      n: 1,
      seed: 7,
      user: 'someone',
      tools: [{ type: 'function', function: { name: 'noop', parameters: { type: 'object' } } }],
    });
    expect(completion.choices[0]?.message.content).toBe('You said: parts work');
  });

  it('streams the reply token by token through the SDK, with usage when asked', async () => {
    const stream = await v1.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toEqual(['You', ' said', ':', ' stream', ' me']);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 5, prompt_tokens: 8, total_tokens: 13 });
  });

  it('streams through AzureOpenAI on the dated API', async () => {
    const stream = await dated.chat.completions.create({
      model: '',
      messages: [{ role: 'user', content: 'dated stream' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('You said: dated stream');
  });

  it('lists the deployments on GET /openai/v1/models', async () => {
    const models = [];
    for await (const model of v1.models.list()) models.push(model.id);
    expect(models).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
  });
});

interface StreamChunk {
  id: string;
  choices: Array<{
    delta: { content?: string };
    finish_reason: string | null;
    content_filter_results: { hate?: { filtered: boolean } };
  }>;
  prompt_filter_results?: Array<{ prompt_index: number }>;
}

describe('chat completions over raw HTTP', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('frames the stream as SSE: a leading prompt-filter chunk, a role chunk, one chunk per token, a finish chunk, then [DONE]', async () => {
    const response = await fetch(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { ...hello, stream: true }),
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    const events = text.split('\n\n').filter((event) => event.length > 0);
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    const chunks = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.slice('data: '.length)) as StreamChunk);
    expect(chunks[0]!.choices).toEqual([]);
    expect(chunks[0]!.prompt_filter_results?.[0]?.prompt_index).toBe(0);
    expect(chunks[1]!.choices[0]!.delta).toEqual({ content: '', refusal: null, role: 'assistant' });
    expect(chunks.slice(2, -1).map((chunk) => chunk.choices[0]!.delta.content)).toEqual([
      'You',
      ' said',
      ':',
      ' Hello',
      ' there',
    ]);
    expect(
      chunks
        .slice(2, -1)
        .every((chunk) => chunk.choices[0]!.content_filter_results.hate?.filtered === false),
    ).toBe(true);
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it("sets Azure's tracing headers and echoes x-ms-client-request-id", async () => {
    const response = await fetch(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, hello, { 'x-ms-client-request-id': 'my-trace-1' }),
    );
    expect(response.headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(response.headers.get('apim-request-id'));
    expect(response.headers.get('x-ms-region')).toBe('Local');
    expect(response.headers.get('x-ms-client-request-id')).toBe('my-trace-1');
  });

  it('gives each choice when n is more than one, counting completion tokens for all of them', async () => {
    const response = await fetch(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { ...hello, n: 2 }),
    );
    const body = (await response.json()) as {
      choices: unknown[];
      usage: { completion_tokens: number };
    };
    expect(body.choices).toHaveLength(2);
    expect(body.usage.completion_tokens).toBe(10);
  });

  it('counts data-plane requests for tests', async () => {
    const before = harness.emulator.requestCount;
    await fetch(chatUrl(harness.emulator), jsonRequest(harness.token, hello));
    expect(harness.emulator.requestCount).toBe(before + 1);
  });
});
