import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { LocalIdentity } from '../identities.ts';
import { closeServer, listen, loopback } from '../listen.ts';
import { issuerFor, mintAccessToken } from './access-token.ts';
import { createSigningKey, keySet } from './signing-key.ts';
import { checkTokenRequest } from './token-request.ts';

export interface IdentityEndpointOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  tenantId?: string;
  identities?: LocalIdentity[];
  /** Default 3600, like Entra's shortest managed-identity tokens; short values drive refresh tests. */
  tokenLifetimeSeconds?: number;
  /** The IDENTITY_HEADER secret; random per start unless given. */
  header?: string;
  /** Names the variable that moves the port, for the port-in-use message. */
  portEnvVar?: string;
}

export interface TokenRequestRecord {
  resource?: string;
  clientId?: string;
  status: number;
}

export interface IdentityEndpoint {
  /** The full token URL: what IDENTITY_ENDPOINT holds. */
  readonly url: string;
  /** The secret every request must send as X-IDENTITY-HEADER: what IDENTITY_HEADER holds. */
  readonly header: string;
  readonly tenantId: string;
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly port: number;
  /** How many requests reached the token path. */
  readonly tokenRequests: number;
  readonly requestLog: TokenRequestRecord[];
  jwks(): JSONWebKeySet;
  setTokenLifetime(seconds: number): void;
  /** false → every token request gets a 500, as when the platform's endpoint is down. */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

export const tokenPath = '/msi/token';
export const jwksPath = '/.well-known/jwks.json';
/** A fixed local tenant for callers that bring no identities file. */
export const defaultTenantId = '9bfd9174-48aa-529b-967c-de35e8916ecc';

/**
 * Starts the managed-identity endpoint that Azure Container Apps and App Service give a
 * container, on loopback, minting RS256 tokens for the configured user-assigned identities.
 */
export async function startIdentityEndpoint(
  options: IdentityEndpointOptions = {},
): Promise<IdentityEndpoint> {
  const tenantId = options.tenantId ?? defaultTenantId;
  const identities = options.identities ?? [];
  const header = options.header ?? randomUUID();
  const key = await createSigningKey();
  const requestLog: TokenRequestRecord[] = [];
  let lifetimeSeconds = checkedLifetime(options.tokenLifetimeSeconds ?? 3600);
  let available = true;
  let tokenRequests = 0;

  const handleToken = async (
    request: IncomingMessage,
    url: URL,
    response: ServerResponse,
  ): Promise<void> => {
    tokenRequests += 1;
    if (!available) {
      requestLog.push({ resource: url.searchParams.get('resource') ?? undefined, status: 500 });
      sendError(
        response,
        500,
        'The managed identity endpoint is unavailable (simulated by setAvailable(false)).',
      );
      return;
    }
    const check = checkTokenRequest(url.searchParams, headerValue(request), header, identities);
    if (!check.ok) {
      requestLog.push({ resource: check.resource, clientId: check.clientId, status: check.status });
      sendError(response, check.status, check.message);
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await mintAccessToken(key, {
      identity: check.identity,
      resource: check.resource,
      tenantId,
      lifetimeSeconds,
      now,
    });
    requestLog.push({ resource: check.resource, clientId: check.identity.clientId, status: 200 });
    sendJson(response, 200, {
      access_token: accessToken,
      expires_on: String(now + lifetimeSeconds),
      resource: check.resource,
      token_type: 'Bearer',
      client_id: check.identity.clientId,
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${loopback}`);
    if (request.method !== 'GET') {
      sendError(
        response,
        405,
        `${request.method ?? 'This method'} is not allowed; the endpoint answers GET.`,
      );
    } else if (url.pathname === tokenPath) {
      handleToken(request, url, response).catch((error: unknown) => {
        sendError(response, 500, `Minting the token failed: ${(error as Error).message}`);
      });
    } else if (url.pathname === jwksPath) {
      sendJson(response, 200, keySet(key));
    } else {
      sendError(
        response,
        404,
        `Nothing at ${url.pathname}. Tokens are at ${tokenPath}, keys at ${jwksPath}.`,
      );
    }
  });
  const port = await listen(
    server,
    options.port ?? 0,
    'managed-identity endpoint',
    options.portEnvVar,
  );
  const base = `http://${loopback}:${port}`;

  return {
    url: `${base}${tokenPath}`,
    header,
    tenantId,
    issuer: issuerFor(tenantId),
    jwksUrl: `${base}${jwksPath}`,
    port,
    get tokenRequests() {
      return tokenRequests;
    },
    requestLog,
    jwks: () => keySet(key),
    setTokenLifetime(seconds) {
      lifetimeSeconds = checkedLifetime(seconds);
    },
    setAvailable(value) {
      available = value;
    },
    close: () => closeServer(server),
  };
}

function checkedLifetime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new RangeError(
      `tokenLifetimeSeconds must be a whole number of seconds ≥ 1; got ${seconds}.`,
    );
  }
  return seconds;
}

function headerValue(request: IncomingMessage): string | undefined {
  const value = request.headers['x-identity-header'];
  return Array.isArray(value) ? value[0] : value;
}

/** App Service's error body: `{"statusCode":…,"message":…,"correlationId":…}`, no `error` wrapper. */
function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { statusCode: status, message, correlationId: randomUUID() });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
