import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatCompletionBody, chatCompletionChunks, complete, completionId } from './chat.ts';
import { embeddingsBody, promptTokensOf } from './embeddings.ts';
import {
  deploymentNotFound,
  internalServerError,
  invalidRequest,
  keyAuthDisabled,
  operationNotSupported,
  permissionDenied,
  quotaError,
  rateLimited,
  responseNotFound,
  serviceUnavailable,
  unauthorized,
  unsupportedMediaType,
  type EmulatorErrorResponse,
} from './errors.ts';
import type { FaultQueue } from './faults.ts';
import { isJsonContentType, readBody, sendError, sendJson } from './http.ts';
import { delay, hangUp, sendPaced, type PacedFrame } from './latency.ts';
import type { DeploymentConfig, Latency } from './options.ts';
import type { RateLimiter } from './rate-limits.ts';
import type { DataActionCheck } from './rbac.ts';
import {
  chatRequestSchema,
  embeddingsRequestSchema,
  parseJsonObject,
  validate,
  type ChatRequest,
  type EmbeddingsRequest,
} from './requests.ts';
import type { ResponseStore } from './response-store.ts';
import { serveResponses } from './responses-plane.ts';
import type { Route } from './routes.ts';
import type { TokenVerifier } from './token.ts';

/** Everything a data-plane request needs, owned by the emulator. */
export interface DataPlane {
  deployments: ReadonlyMap<string, DeploymentConfig>;
  verifyToken: TokenVerifier;
  mayPerform: DataActionCheck;
  faults: FaultQueue;
  limiter: RateLimiter;
  latency: () => Required<Latency>;
  maxBodyBytes: number;
  createdAt: number;
  responses: ResponseStore;
}

/** A 429 from an injected fault says so little about quotas that a second is a fair default wait. */
const defaultFaultRetryAfterMs = 1000;

/** text-embedding-3-small's length, for an embeddings deployment configured without one. */
const defaultDimensions = 1536;

/**
 * Serves one data-plane request in Azure's order: injected faults (the front door failing), then
 * authentication and RBAC, then the deployment, then the body, then the quota.
 */
export async function serveDataPlane(
  plane: DataPlane,
  route: Route,
  request: IncomingMessage,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const fail = (error: EmulatorErrorResponse): void => {
    request.resume();
    sendError(response, error, headers);
  };

  const fault = plane.faults.take();
  if (fault?.kind === 'reset') {
    request.socket.resetAndDestroy();
    return;
  }
  if (fault?.kind === 'hang') {
    // Never answer: the client's own timeout is what is under test. close() ends the socket.
    request.resume();
    return;
  }
  if (fault?.kind === 'status') return fail(faultError(fault, route));

  const denied = await authorize(plane, route, request);
  if (denied) return fail(denied);
  if (route.operation === 'models') {
    return sendJson(response, 200, modelsBody(plane), headers);
  }
  if (route.operation === 'responses-get' || route.operation === 'responses-delete') {
    request.resume();
    return serveStoredResponse(plane, route, response, headers);
  }

  const target = await readTarget(plane, route, request);
  if (!target.ok) return fail(target.error);
  const { deployment, body } = target;

  if (route.operation === 'responses') {
    return serveResponses(plane, route, deployment, body, response, headers);
  }
  if (route.operation === 'chat') {
    const parsed = validate(chatRequestSchema, body);
    if (!parsed.ok) return fail(parsed.error);
    if (parsed.value.stream_options != null && parsed.value.stream !== true) {
      return fail(
        invalidRequest(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          'stream_options',
        ),
      );
    }
    return serveChat(plane, route, deployment, parsed.value, response, headers);
  }
  const parsed = validate(embeddingsRequestSchema, body);
  if (!parsed.ok) return fail(parsed.error);
  return serveEmbeddings(plane, route, deployment, parsed.value, response, headers);
}

function faultError(
  fault: { status: 429 | 500 | 503; retryAfterMs?: number },
  route: Route,
): EmulatorErrorResponse {
  if (fault.status === 429) {
    return rateLimited({
      operation: route.operationName,
      apiVersion: route.apiVersion,
      limit: 'call',
      retryAfterMs: fault.retryAfterMs ?? defaultFaultRetryAfterMs,
    });
  }
  const error = fault.status === 500 ? internalServerError() : serviceUnavailable();
  if (fault.retryAfterMs === undefined) return error;
  // A 5xx may carry a retry hint too, which keeps the SDK's backoff short in tests.
  return {
    ...error,
    headers: {
      'retry-after': String(Math.max(1, Math.ceil(fault.retryAfterMs / 1000))),
      'retry-after-ms': String(fault.retryAfterMs),
    },
  };
}

/** Key auth refused, then the bearer token, then RBAC for the operation's data action. */
async function authorize(
  plane: DataPlane,
  route: Route,
  request: IncomingMessage,
): Promise<EmulatorErrorResponse | undefined> {
  if (request.headers['api-key'] !== undefined) return keyAuthDisabled();
  const token = await plane.verifyToken(request.headers.authorization);
  if (!token.ok) return unauthorized();
  if (!plane.mayPerform(token.principalId, route.dataAction)) {
    return permissionDenied(token.principalId, route.dataAction, route.operationPath);
  }
  return undefined;
}

/**
 * The deployment and the JSON body. The dated API names the deployment in its path, so an
 * unknown one is refused before the body is read; the v1 API names it in the body's `model`.
 */
async function readTarget(
  plane: DataPlane,
  route: Route,
  request: IncomingMessage,
): Promise<
  | { ok: true; deployment: DeploymentConfig; body: Record<string, unknown> }
  | { ok: false; error: EmulatorErrorResponse }
> {
  const fromPath =
    route.deployment === undefined ? undefined : plane.deployments.get(route.deployment);
  if (route.deployment !== undefined && !fromPath) {
    return { ok: false, error: deploymentNotFound() };
  }

  const contentType = request.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    return { ok: false, error: unsupportedMediaType(contentType) };
  }
  const read = await readBody(request, plane.maxBodyBytes);
  if (!read.ok) return read;
  const json = parseJsonObject(read.body);
  if (!json.ok) return json;

  let deployment = fromPath;
  if (route.deployment === undefined) {
    const model = json.value.model;
    if (typeof model !== 'string' || model.length === 0) {
      return {
        ok: false,
        error: invalidRequest(
          "Missing required parameter: 'model'. On the v1 API, 'model' names the deployment.",
          'model',
        ),
      };
    }
    deployment = plane.deployments.get(model);
  }
  if (!deployment) return { ok: false, error: deploymentNotFound() };
  const wanted = route.operation === 'embeddings' ? 'embeddings' : 'chat';
  if (deployment.kind !== wanted) {
    const name = { chat: 'chatCompletion', responses: 'responses' }[route.operation as string];
    return {
      ok: false,
      error: operationNotSupported(name ?? 'embeddings', deployment.model),
    };
  }
  return { ok: true, deployment, body: json.value };
}

async function serveEmbeddings(
  plane: DataPlane,
  route: Route,
  deployment: DeploymentConfig,
  embeddings: EmbeddingsRequest,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const fullDimensions = deployment.dimensions ?? defaultDimensions;
  if (embeddings.dimensions != null && embeddings.dimensions > fullDimensions) {
    return sendError(
      response,
      invalidRequest(
        `This model's maximum dimensions is ${fullDimensions}; 'dimensions' asked for ${embeddings.dimensions}. Ask for ${fullDimensions} or fewer.`,
        'dimensions',
      ),
      headers,
    );
  }
  const quota = plane.limiter.take(deployment.name, promptTokensOf(embeddings));
  if (!quota.allowed) {
    return sendError(response, quotaError(route, quota), { ...headers, ...quota.headers });
  }
  await delay(plane.latency().fixedMs, hangUp(response));
  if (response.destroyed) return;
  sendJson(response, 200, embeddingsBody(embeddings, deployment.model, fullDimensions), {
    ...headers,
    ...quota.headers,
    'x-ms-deployment-name': deployment.name,
  });
}

async function serveChat(
  plane: DataPlane,
  route: Route,
  deployment: DeploymentConfig,
  chat: ChatRequest,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const completion = complete(chat);
  const quota = plane.limiter.take(
    deployment.name,
    completion.promptTokens + completion.completionTokens,
  );
  if (!quota.allowed) {
    return sendError(response, quotaError(route, quota), { ...headers, ...quota.headers });
  }
  const identity = {
    id: completionId(),
    created: Math.floor(Date.now() / 1000),
    model: deployment.model,
  };
  const responseHeaders = { ...headers, ...quota.headers, 'x-ms-deployment-name': deployment.name };
  return sendPaced(
    response,
    plane.latency(),
    responseHeaders,
    chat.stream
      ? {
          frames: chunkFrames(completion, identity, chat.stream_options?.include_usage === true),
          end: 'data: [DONE]\n\n',
        }
      : { body: chatCompletionBody(completion, identity), tokens: completion.tokens.length },
  );
}

function* chunkFrames(...args: Parameters<typeof chatCompletionChunks>): Generator<PacedFrame> {
  for (const { chunk, isToken } of chatCompletionChunks(...args)) {
    yield { text: `data: ${JSON.stringify(chunk)}\n\n`, isToken };
  }
}

/** GET returns the stored response; DELETE removes it. Both answer 404 for an id never stored (or `store: false`). */
function serveStoredResponse(
  plane: DataPlane,
  route: Route,
  response: ServerResponse,
  headers: Record<string, string>,
): void {
  const id = route.responseId ?? '';
  const stored = plane.responses.get(id);
  if (!stored) return sendError(response, responseNotFound(id), headers);
  if (route.operation === 'responses-get') return sendJson(response, 200, stored.body, headers);
  plane.responses.delete(id);
  sendJson(response, 200, { id, object: 'response.deleted', deleted: true }, headers);
}

function modelsBody(plane: DataPlane): Record<string, unknown> {
  return {
    data: [...plane.deployments.values()].map((deployment) => ({
      id: deployment.name,
      object: 'model',
      created: plane.createdAt,
      owned_by: 'system',
      model: deployment.model,
      capabilities: {
        chat_completion: deployment.kind === 'chat',
        embeddings: deployment.kind === 'embeddings',
      },
    })),
    object: 'list',
  };
}

export function newRequestId(): string {
  return randomUUID();
}
