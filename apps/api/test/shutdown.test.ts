import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAzure } from '@keyless/local-azure';
import { hello, parseEvents, postJson, startStack } from './harness.ts';
import { mainPath, spawnApi } from './process.ts';

let stack: LocalAzure;

beforeAll(async () => {
  stack = await startStack();
});

afterEach(() => {
  stack.openai.setLatency({});
});

afterAll(async () => {
  await stack?.stop();
});

function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, first: string) {
  let text = first;
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) return text;
    text += decoder.decode(value);
  }
}

describe('on SIGTERM', () => {
  it('stops accepting, finishes the in-flight stream, then exits 0', async () => {
    const api = await spawnApi(stack.envFor('id-api'));
    stack.openai.setLatency({ perTokenMs: 150 });
    const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);

    api.child.kill('SIGTERM');
    await expect
      .poll(() => api.logs.some((line) => String(line.msg).startsWith('shutting down')))
      .toBe(true);
    expect(await refusesConnections(api.url)).toBe(true);

    const events = parseEvents(await readAll(reader, first));
    expect(events.at(-1)?.event).toBe('done');
    expect(await api.exited).toBe(0);
    expect(api.logs.map((line) => line.msg)).toContain('all requests finished');
  });

  it('closes what is left at API_SHUTDOWN_TIMEOUT_MS, says so in the log, and exits 0', async () => {
    const api = await spawnApi({ ...stack.envFor('id-api'), API_SHUTDOWN_TIMEOUT_MS: '200' });
    stack.openai.setLatency({ perTokenMs: 1_000 });
    const response = await postJson(`${api.url}/api/chat`, { ...hello, stream: true });
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    const events = parseEvents(await readAll(reader, first));
    expect(events.some((event) => event.event === 'done')).toBe(false);
    expect(api.logs.map((line) => line.msg)).toContain(
      'shutdown deadline reached; closing the remaining connections',
    );
  });

  it('exits 0 at once when idle', async () => {
    const api = await spawnApi(stack.envFor('id-api'));
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });
});

describe('at start-up', () => {
  it('exits 1 listing every configuration problem with its variable', async () => {
    const child = spawn(process.execPath, [mainPath], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', API_BODY_LIMIT: 'huge' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    for (const variable of ['AZURE_OPENAI_ENDPOINT', 'PORT', 'API_BODY_LIMIT']) {
      expect(stderr).toContain(variable);
    }
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
