import { openAiDataActions } from '@keyless/roles';
import { responsesApiVersions } from './api-versions.ts';

export type Operation =
  'chat' | 'embeddings' | 'models' | 'responses' | 'responses-get' | 'responses-delete';

/** A data-plane request the emulator serves, with what RBAC and the quota messages need to know about it. */
export interface Route {
  operation: Operation;
  api: 'dated' | 'v1';
  method: 'GET' | 'POST' | 'DELETE';
  /** From the path on the dated API's deployment routes; otherwise (v1, and Responses on either API) the body's `model` names it. */
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
const v1Path = /^\/openai\/v1\/(chat\/completions|embeddings|models)\/?$/;
const v1ResponsesPath = /^\/openai\/v1\/responses(?:\/([^/]+))?\/?$/;
const datedResponsesPath = /^\/openai\/responses(?:\/([^/]+))?\/?$/;

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
  const datedResponses = datedResponsesPath.exec(url.pathname);
  if (datedResponses) {
    // The preview Responses API before v1: `/openai/responses?api-version=2025-03-01-preview`.
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion === null || !responsesApiVersions.has(apiVersion)) return undefined;
    return responsesRoute(method, '/openai', apiVersion, datedResponses[1]);
  }
  const v1Responses = v1ResponsesPath.exec(url.pathname);
  if (v1Responses) return responsesRoute(method, '/openai/v1', 'v1', v1Responses[1]);
  const v1 = v1Path.exec(url.pathname);
  if (!v1) return undefined;
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

/**
 * Responses: POST creates (`responses/write`), GET of an id reads (`responses/read`), DELETE of an
 * id deletes (`responses/delete`). The body's `model` names the deployment on both APIs.
 */
function responsesRoute(
  method: string,
  prefix: '/openai' | '/openai/v1',
  apiVersion: string,
  encodedId: string | undefined,
): Route | undefined {
  const api = prefix === '/openai' ? 'dated' : 'v1';
  if (encodedId === undefined) {
    if (method !== 'POST') return undefined;
    return {
      operation: 'responses',
      api,
      method: 'POST',
      apiVersion,
      dataAction: openAiDataActions.responsesCreate,
      operationPath: `POST ${prefix}/responses`,
      operationName: 'Responses_Create',
    };
  }
  if (method !== 'GET' && method !== 'DELETE') return undefined;
  const get = method === 'GET';
  return {
    operation: get ? 'responses-get' : 'responses-delete',
    api,
    method,
    responseId: decodeURIComponent(encodedId),
    apiVersion,
    dataAction: get ? openAiDataActions.responsesRead : openAiDataActions.responsesDelete,
    operationPath: `${method} ${prefix}/responses/{response_id}`,
    operationName: get ? 'Responses_Get' : 'Responses_Delete',
  };
}
