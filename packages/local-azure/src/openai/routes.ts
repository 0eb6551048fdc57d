import { openAiDataActions } from '@keyless/roles';

export type Operation =
  'chat' | 'embeddings' | 'models' | 'responses' | 'responses-get' | 'responses-delete';

/** A data-plane request the emulator serves, with what RBAC and the quota messages need to know about it. */
export interface Route {
  operation: Operation;
  api: 'dated' | 'v1';
  method: 'GET' | 'POST' | 'DELETE';
  /** From the path on the dated API; on v1 the body's `model` names it. */
  deployment?: string;
  /** GET/DELETE of a stored response: its id from the path. */
  responseId?: string;
  apiVersion: string;
  dataAction: string;
  /** How Azure names the operation in PermissionDenied messages. */
  operationPath: string;
  /** How Azure names the operation in quota messages. */
  operationName: string;
}

const operations = {
  chat: {
    dataAction: openAiDataActions.chatCompletions,
    operationName: 'ChatCompletions_Create',
    suffix: 'chat/completions',
  },
  embeddings: {
    dataAction: openAiDataActions.embeddings,
    operationName: 'Embeddings_Create',
    suffix: 'embeddings',
  },
} as const;

const datedPath = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)\/?$/;
const v1Path = /^\/openai\/v1\/(chat\/completions|embeddings|models|responses)\/?$/;
const v1ResponsePath = /^\/openai\/v1\/responses\/([^/]+)\/?$/;

/**
 * Matches a path of the dated API (`/openai/deployments/{deployment}/...?api-version=...`, where
 * a missing or unknown version is no route at all, as in Azure) or of the v1 API.
 */
export function matchRoute(
  method: string,
  url: URL,
  isSupportedApiVersion: (version: string | null) => boolean,
): Route | undefined {
  const dated = datedPath.exec(url.pathname);
  if (dated) {
    const apiVersion = url.searchParams.get('api-version');
    if (method !== 'POST' || !isSupportedApiVersion(apiVersion)) return undefined;
    const operation = dated[2] === 'embeddings' ? 'embeddings' : 'chat';
    const { dataAction, operationName, suffix } = operations[operation];
    return {
      operation,
      api: 'dated',
      method: 'POST',
      deployment: decodeURIComponent(dated[1] ?? ''),
      apiVersion: apiVersion ?? '',
      dataAction,
      operationPath: `POST /openai/deployments/{deployment-id}/${suffix}`,
      operationName,
    };
  }
  const stored = v1ResponsePath.exec(url.pathname);
  if (stored) return storedResponseRoute(method, decodeURIComponent(stored[1] ?? ''));
  const v1 = v1Path.exec(url.pathname);
  if (!v1) return undefined;
  if (v1[1] === 'responses') {
    if (method !== 'POST') return undefined;
    return {
      operation: 'responses',
      api: 'v1',
      method: 'POST',
      apiVersion: 'v1',
      dataAction: openAiDataActions.responsesCreate,
      operationPath: 'POST /openai/v1/responses',
      operationName: 'Responses_Create',
    };
  }
  if (v1[1] === 'models') {
    if (method !== 'GET') return undefined;
    return {
      operation: 'models',
      api: 'v1',
      method: 'GET',
      apiVersion: 'v1',
      dataAction: openAiDataActions.listModels,
      operationPath: 'GET /openai/v1/models',
      operationName: 'Models_List',
    };
  }
  if (method !== 'POST') return undefined;
  const operation = v1[1] === 'embeddings' ? 'embeddings' : 'chat';
  const { dataAction, operationName, suffix } = operations[operation];
  return {
    operation,
    api: 'v1',
    method: 'POST',
    apiVersion: 'v1',
    dataAction,
    operationPath: `POST /openai/v1/${suffix}`,
    operationName,
  };
}

/** GET and DELETE of a stored response: reads need `responses/read`, deletes `responses/delete`. */
function storedResponseRoute(method: string, responseId: string): Route | undefined {
  if (method !== 'GET' && method !== 'DELETE') return undefined;
  const get = method === 'GET';
  return {
    operation: get ? 'responses-get' : 'responses-delete',
    api: 'v1',
    method,
    responseId,
    apiVersion: 'v1',
    dataAction: get ? openAiDataActions.responsesRead : openAiDataActions.responsesDelete,
    operationPath: `${method} /openai/v1/responses/{response_id}`,
    operationName: get ? 'Responses_Get' : 'Responses_Delete',
  };
}
