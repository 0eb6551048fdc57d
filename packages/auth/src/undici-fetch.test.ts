import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIConnectionError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciFetch } from './undici-fetch.ts';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
      return;
    }
    if (req.url === '/hang') return;
    if (req.url === '/empty') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
    res.end(
      JSON.stringify({
        method: req.method,
        type: req.headers['content-type'] ?? null,
        auth: req.headers.authorization ?? null,
        body,
      }),
    );
  });
});
let base = '';
const undiciFetch = createUndiciFetch();

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('createUndiciFetch', () => {
  it('sends the method, headers and text body and answers a standard Response', async () => {
    const response = await undiciFetch(`${base}/echo`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer t' }),
      body: '{"a":1}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({
      method: 'POST',
      type: 'application/json',
      auth: 'Bearer t',
      body: '{"a":1}',
    });
  });

  it('streams an event stream as it arrives rather than after it ends', async () => {
    const response = await undiciFetch(`${base}/stream`);
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    const rest: string[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest.push(new TextDecoder().decode(chunk.value));
    }
    expect(rest.join('')).toBe('data: two\n\n');
  });

  it('answers a body-less status with a null body', async () => {
    const response = await undiciFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('hands a body it does not stream itself (FormData) to the global fetch', async () => {
    const form = new FormData();
    form.set('field', 'value');
    const response = await undiciFetch(`${base}/echo`, { method: 'POST', body: form });
    const echoed = (await response.json()) as { type: string; body: string };
    expect(echoed.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(echoed.body).toContain('value');
  });

  it('rejects with the abort reason when the caller aborts, as fetch does', async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    const pending = undiciFetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects a refused connection as fetch does (TypeError with the cause), which the SDK calls a connection error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const failure = await undiciFetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });

    const client = new OpenAI({
      baseURL: `http://127.0.0.1:${port}/`,
      apiKey: () => Promise.resolve('token'),
      maxRetries: 0,
      fetch: undiciFetch,
    });
    await expect(client.models.list()).rejects.toBeInstanceOf(APIConnectionError);
  });
});
