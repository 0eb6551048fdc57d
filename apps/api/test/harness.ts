/**
 * Runs the api in-process against the local stack, the way main.ts wires it (the service kit's
 * createHttpService with the api's routes), with its log lines captured: for the cases that need
 * the stack's own controls (a tenant without the role, an identity endpoint that is down).
 */
import { startLocalAzure } from '@keyless/local-azure';
import type { LocalAzure, LocalAzureOptions } from '@keyless/local-azure';
import { createHttpService, loadHttpServiceConfig } from '@keyless/service-kit/http';
import { routes } from '../src/routes.ts';

export async function startStack(options: LocalAzureOptions = {}): Promise<LocalAzure> {
  const stack = await startLocalAzure({ ports: 'free', storage: false, ...options });
  // ManagedIdentityCredential reads these from process.env itself (and MSAL keeps the first
  // source it finds for the whole process): point it at the stack before any credential exists.
  process.env.IDENTITY_ENDPOINT = stack.identity.url;
  process.env.IDENTITY_HEADER = stack.identity.header;
  return stack;
}

export interface ApiUnderTest {
  url: string;
  /** Every log line the api wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startApi(
  stack: LocalAzure,
  env: Record<string, string> = {},
): Promise<ApiUnderTest> {
  const config = loadHttpServiceConfig({
    ...stack.envFor('id-api'),
    PORT: '0',
    ...env,
  });
  const lines: string[] = [];
  const service = createHttpService({
    name: 'api',
    routes,
    config,
    logDestination: { write: (line: string) => lines.push(line) },
  });
  const { port } = await service.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async close() {
      service.server.closeAllConnections();
      await new Promise((resolve) => service.server.close(resolve));
    },
  };
}

export const hello = { messages: [{ role: 'user', content: 'Hello there' }] };

export function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
