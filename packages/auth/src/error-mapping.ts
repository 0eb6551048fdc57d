import { isRestError, type RestError } from '@azure/core-rest-pipeline';
import {
  AggregateAuthenticationError,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
} from '@azure/identity';
import { openAiDataActions, roleGranting, roles } from '@keyless/roles';
import { APIError } from 'openai';
import type { KeylessConfig } from './config.ts';
import { KeylessError } from './errors.ts';
import { redact } from './redaction.ts';
import { audienceOfScope, openAIScopeForEndpoint } from './scope.ts';

export interface ErrorContext {
  config: KeylessConfig;
  /** The caller's object id, when known (from the token's `oid`), for the role-assignment command. */
  principalId?: string;
  /** Entra's `idtyp`: `app` (managed identity, service principal) or `user`. */
  identityType?: string;
  /** Which call failed, so a 404 can name the right deployment variable and a 401 the right data action. */
  operation?: OpenAIOperation;
}

export type OpenAIOperation = 'chat' | 'embeddings' | 'responses';

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  statusCode?: unknown;
  code?: unknown;
  error?: unknown;
  errors?: unknown;
  cause?: unknown;
  request?: { url?: unknown };
}

function shape(error: unknown): ErrorShape | undefined {
  return typeof error === 'object' && error !== null ? error : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The error and its causes, outermost first (the openai client wraps token failures). */
function causeChain(error: unknown): ErrorShape[] {
  const chain: ErrorShape[] = [];
  let current = shape(error);
  while (current && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = shape(current.cause);
  }
  return chain;
}

/** openai's error for an HTTP answer (its subclasses: AuthenticationError, NotFoundError, ...). */
function isAPIError(link: unknown): link is APIError {
  return link instanceof APIError;
}

/** @azure/identity's own error classes: a credential that could not get a token. */
function isIdentityError(link: unknown): link is Error {
  return (
    link instanceof CredentialUnavailableError ||
    link instanceof AggregateAuthenticationError ||
    link instanceof AuthenticationError ||
    link instanceof AuthenticationRequiredError
  );
}

function firstLine(message: string): string {
  return redact(message.split('\n')[0] ?? '').trim();
}

/** Which credentials were tried and why each failed, one line each. */
function describeIdentityError(error: ErrorShape): string {
  if (error instanceof AggregateAuthenticationError && error.errors.length > 0) {
    return error.errors
      .map((inner) => {
        const innerShape = shape(inner);
        return `  - ${firstLine(text(innerShape?.message)) || text(innerShape?.name)}`;
      })
      .join('\n');
  }
  return `  - ${text(error.name) || 'Error'}: ${firstLine(text(error.message))}`;
}

const managedIdentityFix =
  'The managed-identity endpoint (IDENTITY_ENDPOINT) refused or failed. In Azure, assign the user-assigned identity to the app (`az containerapp identity assign --user-assigned <identity-resource-id>`) and set AZURE_CLIENT_ID to its client id; a 5xx from the endpoint is transient, so a later call retries. Locally, check that `npm start` is still running. Then `npm run doctor`.';
const developerFix =
  'On a developer machine run `az login` or `azd auth login` (or set AZURE_TOKEN_CREDENTIALS to the one credential you use). In Azure, assign a user-assigned managed identity to the app and set AZURE_CLIENT_ID to its client id. Then `npm run doctor`.';

/** Turns a failure to get a token into KEYLESS_ERR_NO_CREDENTIAL, naming each credential tried. */
export function credentialFailure(error: unknown, scope: string): KeylessError {
  const identityError = causeChain(error).find(isIdentityError);
  const details = describeIdentityError(
    identityError ?? shape(error) ?? { message: String(error) },
  );
  return new KeylessError(
    'KEYLESS_ERR_NO_CREDENTIAL',
    `Could not get a token for ${scope}. Tried:\n${details}`,
    {
      fix: /ManagedIdentityCredential/.test(details) ? managedIdentityFix : developerFix,
      cause: error,
    },
  );
}

/** Azure's error code: `code` on the SDK error, or inside the body's `error` object. */
function apiCode(link: APIError | RestError): string {
  const inner = link instanceof APIError ? shape(link.error) : undefined;
  return text(link.code) || text(inner?.code);
}

/** Azure's own words: the body's `error.message` (openai keeps the body in `error`), else the SDK's message. */
function apiMessage(link: APIError | RestError): string {
  const inner = link instanceof APIError ? shape(link.error) : undefined;
  return redact(text(inner?.message) || link.message);
}

const guidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The `<account>` of `https://<account>.openai.azure.com`, for a resource id template. */
function accountName(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  return /\.(openai|cognitiveservices)\.azure\.(com|us|cn)$/i.test(host)
    ? (host.split('.')[0] ?? '<account>')
    : '<account>';
}

function principalType(identityType: string | undefined): string {
  if (identityType === 'user') return 'User';
  if (identityType === 'app') return 'ServicePrincipal';
  return '<ServicePrincipal|User>';
}

/** The data action each operation needs, for when Azure's message does not name one. */
const operationDataActions: Record<OpenAIOperation, string> = {
  chat: openAiDataActions.chatCompletions,
  embeddings: openAiDataActions.embeddings,
  responses: openAiDataActions.responsesCreate,
};

function permissionDenied(link: APIError, context: ErrorContext): KeylessError {
  const message = apiMessage(link);
  // Azure puts the principal and the data action only in its message text, so they are read from there.
  const principalId =
    guidPattern.exec(message)?.[0] ?? context.principalId ?? '<principal-object-id>';
  const dataAction =
    /data action [`']?([A-Za-z0-9/._*-]+)/.exec(message)?.[1] ??
    operationDataActions[context.operation ?? 'chat'];
  const role = roleGranting(dataAction) ?? roles.openAiUser;
  const scope = `/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.CognitiveServices/accounts/${accountName(context.config.openai.endpoint)}`;
  const command = `az role assignment create --role "${role.name}" --assignee-object-id ${principalId} --assignee-principal-type ${principalType(context.identityType)} --scope ${scope}`;
  return new KeylessError(
    'KEYLESS_ERR_PERMISSION_DENIED',
    `The principal ${principalId} lacks the data action ${dataAction} on ${context.config.openai.endpoint} (Azure: ${message}).`,
    {
      fix: `Grant the role "${role.name}": ${command} (or add it to infra/main.bicep and run \`azd provision\`). New role assignments can take ~5-10 minutes to propagate; retry after that.`,
      cause: link,
    },
  );
}

function tokenRejected(
  link: APIError | RestError,
  scopeInUse: string,
  expected: string,
): KeylessError {
  const sameScope = audienceOfScope(scopeInUse) === audienceOfScope(expected);
  return new KeylessError(
    'KEYLESS_ERR_TOKEN_REJECTED',
    `The service rejected the access token (invalid, expired or wrong audience). Scope in use: ${scopeInUse}; this endpoint expects: ${expected}. Azure: ${apiMessage(link)}`,
    {
      fix: sameScope
        ? "The audience matches, so the token is expired or from another tenant: check AZURE_TENANT_ID and the clock, and run `npm run doctor` to see the token's tenant and expiry."
        : `Unset AZURE_OPENAI_SCOPE (or set it to ${expected}) so that tokens are requested for the right audience.`,
      cause: link,
    },
  );
}

function deploymentNotFound(link: APIError, context: ErrorContext): KeylessError {
  const { chatDeployment, embeddingDeployment, endpoint } = context.config.openai;
  const chat = `"${chatDeployment}" (from AZURE_OPENAI_CHAT_DEPLOYMENT)`;
  const embedding = `"${embeddingDeployment}" (from AZURE_OPENAI_EMBEDDING_DEPLOYMENT)`;
  const candidates = {
    chat: { named: chat, variables: 'AZURE_OPENAI_CHAT_DEPLOYMENT' },
    responses: { named: chat, variables: 'AZURE_OPENAI_CHAT_DEPLOYMENT' },
    embeddings: { named: embedding, variables: 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT' },
    either: {
      named: `${chat} or ${embedding}`,
      variables: 'AZURE_OPENAI_CHAT_DEPLOYMENT / AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
    },
  };
  // Azure's 404 does not name the deployment, so without the operation both are suspects.
  const { named, variables } =
    candidates[context.operation ?? (embeddingDeployment ? 'either' : 'chat')];
  return new KeylessError(
    'KEYLESS_ERR_DEPLOYMENT_NOT_FOUND',
    `The deployment ${named} does not exist on ${endpoint}. Azure: ${apiMessage(link)}`,
    {
      fix: `Set ${variables} to an existing deployment name (\`az cognitiveservices account deployment list -n ${accountName(endpoint)} -g <resource-group> --query "[].name"\`), or create the deployment. A new deployment can take ~5 minutes to become available.`,
      cause: link,
    },
  );
}

function isStorageUrl(url: string, endpoint: string | undefined): boolean {
  return endpoint !== undefined && url.toLowerCase().startsWith(endpoint.toLowerCase());
}

/** Whether a storage URL is a queue (rather than a blob) request: by configured endpoint, then by host. */
function isQueueRequest(url: string, storage: KeylessConfig['storage']): boolean {
  if (isStorageUrl(url, storage.blobEndpoint) && !isStorageUrl(url, storage.queueEndpoint)) {
    return false;
  }
  return isStorageUrl(url, storage.queueEndpoint) || /\.queue\./i.test(url);
}

function storagePermission(link: RestError, context: ErrorContext): KeylessError {
  const requestUrl = link.request ? new URL(link.request.url) : undefined;
  const url = requestUrl ? `${requestUrl.origin}${requestUrl.pathname}` : '';
  const isQueue = isQueueRequest(url, context.config.storage);
  const role = isQueue ? roles.queueDataContributor : roles.blobDataContributor;
  const kind = isQueue ? 'queue' : 'blob container';
  const principal = context.principalId ?? '<principal-object-id>';
  return new KeylessError(
    'KEYLESS_ERR_STORAGE_PERMISSION',
    `Storage refused ${url || 'the request'} with ${apiCode(link)}: the identity ${principal} lacks the data role on the ${kind}.`,
    {
      fix: `Grant "${role.name}" on the ${kind}: az role assignment create --role "${role.name}" --assignee-object-id ${principal} --assignee-principal-type ${principalType(context.identityType)} --scope <storage-account-id>/${isQueue ? 'queueServices/default/queues' : 'blobServices/default/containers'}/<name>. New role assignments can take ~5-10 minutes to propagate.`,
      cause: link,
    },
  );
}

function mapHttpError(link: unknown, context: ErrorContext): KeylessError | undefined {
  if (isRestError(link)) {
    const status = link.statusCode;
    const code = apiCode(link);
    if (status === 403 && /^Authorization/.test(code)) return storagePermission(link, context);
    if (status === 401 || code === 'InvalidAuthenticationInfo' || code === 'AuthenticationFailed') {
      return tokenRejected(link, context.config.storage.scope, context.config.storage.scope);
    }
    return undefined;
  }
  if (!isAPIError(link)) return undefined;
  const { status } = link;
  const code = apiCode(link);
  if (status === 401 && code === 'PermissionDenied') return permissionDenied(link, context);
  if (status === 401) {
    const { endpoint, apiVersion } = context.config.openai;
    const expected = openAIScopeForEndpoint(endpoint, apiVersion ? 'dated' : 'v1');
    return tokenRejected(link, context.config.openai.scope, expected);
  }
  if (status === 403 && code === 'AuthenticationTypeDisabled') {
    return new KeylessError(
      'KEYLESS_ERR_KEY_AUTH_DISABLED',
      `${context.config.openai.endpoint} refused a key: key-based authentication is disabled for this resource. Azure: ${apiMessage(link)}`,
      { cause: link },
    );
  }
  if (status === 404 && code === 'DeploymentNotFound') return deploymentNotFound(link, context);
  return undefined;
}

/**
 * Explains an auth or configuration failure as a KeylessError with a fix; undefined for anything
 * else (429, 500, timeouts), which callers retry or report themselves.
 */
export function toKeylessError(error: unknown, context: ErrorContext): KeylessError | undefined {
  const chain = causeChain(error);
  const existing = chain.find((link): link is KeylessError => link instanceof KeylessError);
  if (existing) return existing;
  for (const link of chain) {
    const mapped = mapHttpError(link, context);
    if (mapped) return mapped;
  }
  const identityError = chain.find(isIdentityError);
  if (identityError) return credentialFailure(identityError, context.config.openai.scope);
  return undefined;
}
