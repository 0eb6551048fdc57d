/**
 * Runs the api in-process against the local stack (identity endpoint + Azure OpenAI emulator),
 * the way main.ts wires it, with its log lines captured and, on request, every upstream call
 * recorded (a real fetch, observed: its headers and whether it was aborted).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeylessClients, createOpenAIClient } from '@keyless/auth';
import { startLocalAzure } from '@keyless/local-azure';
import type { LocalAzure, LocalAzureOptions } from '@keyless/local-azure';
import { createApp } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';
import type { ApiConfig } from '../src/config.ts';
import { createLogger } from '@keyless/logging';
import { createReadiness, modelReadiness } from '../src/readiness.ts';

export async function startStack(options: LocalAzureOptions = {}): Promise<LocalAzure> {
  const stack = await startLocalAzure({ ports: 'free', storage: false, ...options });
  // ManagedIdentityCredential reads these from process.env itself (and MSAL keeps the first
  // source it finds for the whole process): point it at the stack before any credential exists.
  process.env.IDENTITY_ENDPOINT = stack.identity.url;
  process.env.IDENTITY_HEADER = stack.identity.header;
  return stack;
}

export interface UpstreamRecord {
  url: string;
  headers: Headers;
  signal: AbortSignal | undefined;
}

export interface ApiUnderTest {
  url: string;
  config: ApiConfig;
  /** Every log line the api wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Raw log lines, to search for things that must never be logged. */
  rawLogs: string[];
  upstream: UpstreamRecord[];
  close(): Promise<void>;
}

export interface StartApiOptions {
  env?: Record<string, string>;
  /** Route model calls through a recording fetch (a different OpenAI client than main.ts). */
  recordUpstream?: boolean;
}

export async function startApi(
  stack: LocalAzure,
  options: StartApiOptions = {},
): Promise<ApiUnderTest> {
  const config = loadApiConfig({
    ...stack.envFor('id-api'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const rawLogs: string[] = [];
  const logger = createLogger(
    { service: 'api', level: config.logLevel },
    { write: (line) => rawLogs.push(line) },
  );
  const clients = createKeylessClients(config.keyless);
  const upstream: UpstreamRecord[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    upstream.push({
      url: input instanceof Request ? input.url : String(input),
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    });
    return fetch(input, init);
  };
  const openai = options.recordUpstream
    ? createOpenAIClient(config.keyless, clients.credential, { fetch: recordingFetch })
    : clients.openai;
  const readiness = createReadiness(
    modelReadiness(
      (timeoutMs) => clients.checkReadiness(timeoutMs),
      config.keyless.openai.endpoint,
    ),
    { timeoutMs: config.readinessTimeoutMs, cacheMs: config.readinessCacheMs },
  );
  const app = createApp({
    config,
    openai,
    readiness,
    explainError: (error) => clients.explainError(error),
    logger,
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs,
    upstream,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export const hello = { messages: [{ role: 'user', content: 'Hello there' }] };

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Reads a whole event stream into its events (`message` when the frame names no event). */
export async function readEvents(response: Response): Promise<ServerSentEvent[]> {
  const text = await response.text();
  return parseEvents(text);
}

export function parseEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}
