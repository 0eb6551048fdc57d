import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportedApiVersions } from '../../src/openai/api-versions.ts';
import { chatUrl, emulatorClient, hello, jsonRequest, startHarness } from './fixture.ts';
import type { Harness } from './fixture.ts';

const resourceNotFound = { error: { code: '404', message: 'Resource not found' } };

describe('routing and request errors', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ maxBodyBytes: 4096 });
  });
  afterAll(() => harness.close());

  async function send(url: string, init: RequestInit) {
    const response = await fetch(url, init);
    return {
      status: response.status,
      body: (await response.json()) as { error: Record<string, unknown> },
    };
  }

  it('accepts every GA and preview api-version the docs and SDK samples use', async () => {
    for (const version of [
      '2024-10-21',
      '2024-06-01',
      '2024-02-01',
      '2023-05-15',
      '2024-08-01-preview',
      '2025-04-01-preview',
    ]) {
      expect(supportedApiVersions.has(version), version).toBe(true);
      const response = await fetch(
        chatUrl(harness.emulator, 'gpt-4o-mini', version),
        jsonRequest(harness.token, hello),
      );
      expect(response.status, version).toBe(200);
    }
  });

  it('answers an unknown api-version with 404 Resource not found, as Azure does', async () => {
    expect(
      await send(
        chatUrl(harness.emulator, 'gpt-4o-mini', '2022-12-01'),
        jsonRequest(harness.token, hello),
      ),
    ).toEqual({
      status: 404,
      body: resourceNotFound,
    });
  });

  it('answers a dated path without api-version with 404 Resource not found', async () => {
    const url = `${harness.emulator.url}/openai/deployments/gpt-4o-mini/chat/completions`;
    expect(await send(url, jsonRequest(harness.token, hello))).toEqual({
      status: 404,
      body: resourceNotFound,
    });
  });

  it('answers an unknown path with 404 Resource not found', async () => {
    expect(
      await send(`${harness.emulator.url}/openai/v1/assistants`, jsonRequest(harness.token, {})),
    ).toEqual({
      status: 404,
      body: resourceNotFound,
    });
  });

  it('answers an unknown deployment with 404 DeploymentNotFound on the dated API', async () => {
    const result = await send(
      chatUrl(harness.emulator, 'gpt-5-nope'),
      jsonRequest(harness.token, hello),
    );
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('DeploymentNotFound');
  });

  it('answers an unknown model with 404 DeploymentNotFound on the v1 API', async () => {
    const v1 = emulatorClient(harness);
    await expect(
      v1.chat.completions.create({
        model: 'gpt-5-nope',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'DeploymentNotFound' });
  });

  it('answers a v1 request without model with 400 naming the parameter', async () => {
    const result = await send(
      `${harness.emulator.url}/openai/v1/chat/completions`,
      jsonRequest(harness.token, hello),
    );
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ param: 'model', type: 'invalid_request_error' });
  });

  it('refuses a chat call on an embeddings deployment with 400 OperationNotSupported', async () => {
    const result = await send(
      chatUrl(harness.emulator, 'text-embedding-3-small'),
      jsonRequest(harness.token, hello),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('OperationNotSupported');
    expect(result.body.error.message).toContain(
      'The chatCompletion operation does not work with the specified model, text-embedding-3-small.',
    );
  });

  it("answers malformed JSON with 400 in Azure's error shape", async () => {
    const result = await send(chatUrl(harness.emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: '{"messages": [',
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'BadRequest', type: 'invalid_request_error' });
    expect(result.body.error.message).toContain('could not parse the JSON body');
  });

  it('answers a body that is JSON but not an object with 400', async () => {
    const result = await send(chatUrl(harness.emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body: '[1, 2]',
    });
    expect(result.status).toBe(400);
  });

  it('answers a missing messages field with 400 naming it', async () => {
    const result = await send(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { temperature: 1 }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      message: "Missing required parameter: 'messages'.",
      param: 'messages',
    });
  });

  it('answers an invalid message role with 400 naming the field by its path', async () => {
    const result = await send(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { messages: [{ role: 'robot', content: 'x' }] }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe('messages[0].role');
  });

  it('refuses stream_options without stream, as Azure does', async () => {
    const result = await send(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { ...hello, stream_options: { include_usage: true } }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe('stream_options');
  });

  it('answers a wrong content type with 415', async () => {
    const result = await send(chatUrl(harness.emulator), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${harness.token}` },
      body: JSON.stringify(hello),
    });
    expect(result.status).toBe(415);
    expect(result.body.error).toMatchObject({
      code: 'UnsupportedMediaType',
      type: 'invalid_request_error',
    });
  });

  it('answers a body over the size limit with 413', async () => {
    const result = await send(
      chatUrl(harness.emulator),
      jsonRequest(harness.token, { messages: [{ role: 'user', content: 'x'.repeat(5000) }] }),
    );
    expect(result.status).toBe(413);
    expect(result.body.error).toMatchObject({ code: 'RequestEntityTooLarge' });
    expect(result.body.error.message).toContain('4096 bytes');
  });

  it('answers a chunked body that grows over the size limit with 413', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'y'.repeat(5000) }] });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const result = await send(chatUrl(harness.emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.token}` },
      body,
      duplex: 'half',
    });
    expect(result.status).toBe(413);
  });

  it('refuses duplicate deployment names at start, naming the fix', async () => {
    await expect(
      startHarness({
        deployments: [
          { name: 'a', kind: 'chat', model: 'm' },
          { name: 'a', kind: 'chat', model: 'm' },
        ],
      }),
    ).rejects.toThrow(/"a" is listed twice/);
  });

  it('names the port and the fix when its port is taken', async () => {
    await expect(startHarness({ port: harness.emulator.port })).rejects.toThrow(
      new RegExp(
        `Port ${harness.emulator.port} on 127.0.0.1 is already in use.*port: 0 picks a free one`,
      ),
    );
  });
});
