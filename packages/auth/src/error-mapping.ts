import { openAiDataActions, roleGranting, roles } from '@keyless/roles';
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
  /** Which call failed, so a 404 can name the right deployment variable. */
  operation?: 'chat' | 'embeddings';
}

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

const identityErrorNames = new Set([
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
  'AuthenticationError',
  'AuthenticationRequiredError',
]);

function firstLine(message: string): string {
  return redact(message.split('\n')[0] ?? '').trim();
}

/** Which credentials were tried and why each failed, one line each. */
function describeIdentityError(error: ErrorShape): string {
  if (Array.isArray(error.errors) && error.errors.length > 0) {
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
  const identityError = causeChain(error).find((link) => identityErrorNames.has(text(link.name)));
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

function apiStatus(link: ErrorShape): number | undefined {
  const status = link.status ?? link.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Azure's error code: `code` on the SDK error, or inside the body's `error` object. */
function apiCode(link: ErrorShape): string {
  const inner = shape(link.error);
  return text(link.code) || text(inner?.code);
}

function apiMessage(link: ErrorShape): string {
  const inner = shape(link.error);
  return redact(text(inner?.message) || text(link.message));
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

function permissionDenied(link: ErrorShape, context: ErrorContext): KeylessError {
  const message = apiMessage(link);
  const principalId =
    guidPattern.exec(message)?.[0] ?? context.principalId ?? '<principal-object-id>';
  const dataAction =
    /data action [`']?([A-Za-z0-9/._*-]+)/.exec(message)?.[1] ?? openAiDataActions.chatCompletions;
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

function tokenRejected(link: ErrorShape, scopeInUse: string, expected: string): KeylessError {
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

function deploymentNotFound(link: ErrorShape, context: ErrorContext): KeylessError {
  const { chatDeployment, embeddingDeployment, endpoint } = context.config.openai;
  const chat = `"${chatDeployment}" (from AZURE_OPENAI_CHAT_DEPLOYMENT)`;
  const embedding = `"${embeddingDeployment}" (from AZURE_OPENAI_EMBEDDING_DEPLOYMENT)`;
  const candidates = {
    chat: { named: chat, variables: 'AZURE_OPENAI_CHAT_DEPLOYMENT' },
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

function storagePermission(link: ErrorShape, context: ErrorContext): KeylessError {
  const url = text(link.request?.url).split('?')[0] ?? '';
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

function isStorageError(link: ErrorShape): boolean {
  return text(link.name) === 'RestError';
}

function mapHttpError(link: ErrorShape, context: ErrorContext): KeylessError | undefined {
  const status = apiStatus(link);
  const code = apiCode(link);
  if (status === undefined) return undefined;
  if (isStorageError(link)) {
    if (status === 403 && /^Authorization/.test(code)) return storagePermission(link, context);
    if (status === 401 || code === 'InvalidAuthenticationInfo' || code === 'AuthenticationFailed') {
      return tokenRejected(link, context.config.storage.scope, context.config.storage.scope);
    }
    return undefined;
  }
  if (status === 401 && code === 'PermissionDenied') return permissionDenied(link, context);
  if (status === 401) {
    const expected = openAIScopeForEndpoint(context.config.openai.endpoint);
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
  const existing = chain.find((link) => link instanceof KeylessError);
  if (existing) return existing;
  for (const link of chain) {
    const mapped = mapHttpError(link, context);
    if (mapped) return mapped;
  }
  const identityError = chain.find((link) => identityErrorNames.has(text(link.name)));
  if (identityError) return credentialFailure(identityError, context.config.openai.scope);
  return undefined;
}
