import { roles } from '@keyless/roles';
import { z } from 'zod';
import { KeylessConfigError, type ConfigProblem } from './errors.ts';
import { isLoopbackUrl, openAIScopeForEndpoint, storageScope } from './scope.ts';

/** Everything @keyless/auth needs, read once from the environment and validated. */
export interface KeylessConfig {
  openai: {
    /** `https://<account>.openai.azure.com` without a trailing slash (or a loopback URL locally). */
    endpoint: string;
    chatDeployment: string;
    embeddingDeployment?: string;
    /** Set → the dated `/openai/deployments/...` API through `AzureOpenAI`; unset → the v1 API. */
    apiVersion?: string;
    /** The token scope: AZURE_OPENAI_SCOPE, or the default for the endpoint's cloud and API. */
    scope: string;
    /** Where the scope came from, for the doctor: the variable, or the default it follows. */
    scopeSource: 'AZURE_OPENAI_SCOPE' | 'default for the v1 API' | 'default for the dated API';
    timeoutMs: number;
    maxRetries: number;
  };
  identity: {
    clientId?: string;
    tenantId?: string;
    /** The identity library's own switch (`dev`, `prod` or one credential's name), as given. */
    tokenCredentials?: string;
    /** Container Apps / App Service set IDENTITY_ENDPOINT + IDENTITY_HEADER (older App Service MSI_ENDPOINT + MSI_SECRET, Cloud Shell MSI_ENDPOINT): use managed identity only. */
    managedIdentityEnvironment: boolean;
    /** AKS workload identity's token file (AZURE_FEDERATED_TOKEN_FILE), when present. */
    federatedTokenFile?: string;
  };
  storage: {
    queueEndpoint?: string;
    blobEndpoint?: string;
    scope: string;
  };
}

/** What the calling service uses beyond chat, so that missing variables fail at start-up. */
export interface ConfigNeeds {
  storage?: boolean;
  embeddings?: boolean;
}

export type Env = Record<string, string | undefined>;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const deploymentName = /^[A-Za-z0-9._-]{1,64}$/;
const datedApiVersion = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const tokenCredentialValues = [
  'dev',
  'prod',
  'workloadidentitycredential',
  'managedidentitycredential',
  'visualstudiocodecredential',
  'azureclicredential',
  'azurepowershellcredential',
  'azuredeveloperclicredential',
];

// Empty strings count as unset: `AZURE_CLIENT_ID=` in an env file must not mean "client id ''".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const required = (fix: string) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string({ error: `is not set. ${fix}` }),
  );

function serviceUrl(variable: string, example: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a URL. Set ${variable} to ${example}.` });
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) {
      ctx.addIssue({
        code: 'custom',
        message: `must use https (plain http is allowed only on loopback for the local stack). Set ${variable} to ${example}.`,
      });
    }
  });
}

const openAIEndpoint = serviceUrl(
  'AZURE_OPENAI_ENDPOINT',
  'https://<account>.openai.azure.com',
).superRefine((value, ctx) => {
  if (/\/openai(\/|$)/i.test(safePathname(value))) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be the resource URL without the /openai path (the client adds /openai/v1/ or /openai/deployments/ itself). Set AZURE_OPENAI_ENDPOINT to https://<account>.openai.azure.com.',
    });
  }
});

function safePathname(value: string): string {
  try {
    return new URL(value).pathname;
  } catch {
    return '';
  }
}

const wholeNumber = (variable: string, hint: string) =>
  z.coerce
    .number({ error: `must be a whole number (${hint}). Fix or unset ${variable}.` })
    .int({ error: `must be a whole number (${hint}). Fix or unset ${variable}.` });

const envSchema = z.object({
  AZURE_OPENAI_ENDPOINT: required(
    'Set it to your Azure OpenAI resource URL (https://<account>.openai.azure.com; `azd env get-values` shows it after `azd up`, `npm start` writes it to .local-azure/stack.env).',
  ).pipe(openAIEndpoint),
  AZURE_OPENAI_CHAT_DEPLOYMENT: required(
    'Set it to the name of the chat deployment (`azd env get-values` shows it after `azd up`, `npm start` writes it to .local-azure/stack.env; infra/models.json lists the ones the template deploys).',
  ).pipe(
    z.string().regex(deploymentName, {
      error:
        'is not a valid deployment name (letters, digits, ".", "_" and "-", at most 64). Set AZURE_OPENAI_CHAT_DEPLOYMENT to the deployment name, not the model name or a URL.',
    }),
  ),
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optional(
    z.string().regex(deploymentName, {
      error:
        'is not a valid deployment name (letters, digits, ".", "_" and "-", at most 64). Set AZURE_OPENAI_EMBEDDING_DEPLOYMENT to the deployment name.',
    }),
  ),
  AZURE_OPENAI_API_VERSION: optional(
    z.string().regex(datedApiVersion, {
      error:
        'must be a dated API version such as 2024-10-21 or 2025-04-01-preview. Unset AZURE_OPENAI_API_VERSION to use the v1 API.',
    }),
  ),
  AZURE_OPENAI_SCOPE: optional(
    z.string().regex(/^https:\/\/[^\s]+\/\.default$/, {
      error:
        'must be a scope ending in /.default (for example https://ai.azure.com/.default). Unset AZURE_OPENAI_SCOPE to use the default for the endpoint.',
    }),
  ),
  AZURE_OPENAI_TIMEOUT_MS: optional(
    wholeNumber('AZURE_OPENAI_TIMEOUT_MS', 'milliseconds, default 60000').min(1, {
      error: 'must be at least 1 (milliseconds). Fix or unset AZURE_OPENAI_TIMEOUT_MS.',
    }),
  ),
  AZURE_OPENAI_MAX_RETRIES: optional(
    wholeNumber('AZURE_OPENAI_MAX_RETRIES', 'default 2').min(0).max(10, {
      error: 'must be between 0 and 10. Fix or unset AZURE_OPENAI_MAX_RETRIES.',
    }),
  ),
  AZURE_CLIENT_ID: optional(
    z.string().regex(guid, {
      error:
        "must be the user-assigned identity's client id, a GUID (`az identity show -n id-<service> -g <group> --query clientId`), or unset for a system-assigned identity / developer credentials.",
    }),
  ),
  AZURE_TENANT_ID: optional(
    z.string().regex(/^([0-9a-f-]{36}|[A-Za-z0-9.-]+\.[A-Za-z]{2,})$/i, {
      error: 'must be a tenant id (GUID) or domain (`az account show --query tenantId`), or unset.',
    }),
  ),
  AZURE_TOKEN_CREDENTIALS: optional(
    z.string().refine((value) => tokenCredentialValues.includes(value.trim().toLowerCase()), {
      error:
        'must be dev, prod or one credential name (ManagedIdentityCredential, WorkloadIdentityCredential, AzureCliCredential, AzureDeveloperCliCredential, ...; not EnvironmentCredential, which signs in with a secret). Fix or unset AZURE_TOKEN_CREDENTIALS.',
    }),
  ),
  AZURE_STORAGE_QUEUE_ENDPOINT: optional(
    serviceUrl('AZURE_STORAGE_QUEUE_ENDPOINT', 'https://<account>.queue.core.windows.net'),
  ),
  AZURE_STORAGE_BLOB_ENDPOINT: optional(
    serviceUrl('AZURE_STORAGE_BLOB_ENDPOINT', 'https://<account>.blob.core.windows.net'),
  ),
  AZURE_FEDERATED_TOKEN_FILE: optional(z.string()),
});

interface RefusedSecret {
  test: (name: string, value: string, env: Env) => boolean;
  /** What the variable is, when "holds a key or secret" would not say it. */
  holds?: string;
  instead: string;
}

const openAIRole = `grant the identity "${roles.openAiUser.name}" on the Azure OpenAI resource instead`;
const storageRoles = `grant the identity "${roles.queueDataContributor.name}" (queues) or "${roles.blobDataContributor.name}" (blobs) and set AZURE_STORAGE_QUEUE_ENDPOINT / AZURE_STORAGE_BLOB_ENDPOINT instead`;
const identityInstead =
  'use a managed identity (AZURE_CLIENT_ID) in Azure, workload identity federation (AZURE_FEDERATED_TOKEN_FILE) for CI and Kubernetes, or `az login` on a developer machine';

// Keys and secrets the template refuses to start with. Values are never echoed, only names.
const refusedSecrets: RefusedSecret[] = [
  {
    test: (name) => ['AZURE_OPENAI_API_KEY', 'OPENAI_API_KEY', 'AZURE_OPENAI_KEY'].includes(name),
    instead: openAIRole,
  },
  {
    test: (name) =>
      ['AZURE_STORAGE_KEY', 'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_SAS_TOKEN'].includes(name),
    instead: storageRoles,
  },
  { test: (_name, value) => /AccountKey=/i.test(value), instead: storageRoles },
  {
    test: (_name, value) => /SharedAccessSignature=|(^|[?&;])sig=/i.test(value),
    instead: storageRoles,
  },
  {
    test: (name) =>
      [
        'AZURE_CLIENT_SECRET',
        'AZURE_PASSWORD',
        'AZURE_CLIENT_CERTIFICATE_PATH',
        'AZURE_CLIENT_CERTIFICATE_PASSWORD',
      ].includes(name),
    instead: identityInstead,
  },
  {
    // A user name alone is no secret; beside AZURE_PASSWORD it is half of a password sign-in.
    test: (name, _value, env) => name === 'AZURE_USERNAME' && Boolean(env['AZURE_PASSWORD']),
    holds: 'is the user name for a password sign-in (with AZURE_PASSWORD)',
    instead: identityInstead,
  },
  {
    test: (name, value) =>
      name === 'AZURE_TOKEN_CREDENTIALS' && value.trim().toLowerCase() === 'environmentcredential',
    holds:
      'selects EnvironmentCredential, which signs in with a client secret, certificate or password',
    instead: `${identityInstead} (AZURE_TOKEN_CREDENTIALS=prod, ManagedIdentityCredential, WorkloadIdentityCredential or AzureCliCredential)`,
  },
];

/** Names of the variables holding keys or secrets, with what to do instead. Never their values. */
export function findKeys(env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const refused = refusedSecrets.find((secret) => secret.test(name, value, env));
    if (refused) {
      problems.push({
        variable: name,
        message: `${refused.holds ?? 'holds a key or secret'}, but this template is keyless. Remove ${name} from the environment (and any .env file) and ${refused.instead}.`,
      });
    }
  }
  return problems;
}

// MSAL picks the App Service / Container Apps source only when BOTH variables of a pair are set;
// with the endpoint alone it falls through to probing the instance-metadata service. Cloud Shell
// is the exception: it sets MSI_ENDPOINT alone, and MSAL uses it as such.
const identityPairs = [
  {
    endpoint: 'IDENTITY_ENDPOINT',
    header: 'IDENTITY_HEADER',
    platform: 'Container Apps/App Service set both',
    endpointAlone: false,
  },
  {
    endpoint: 'MSI_ENDPOINT',
    header: 'MSI_SECRET',
    platform: 'older App Service sets both; Cloud Shell sets MSI_ENDPOINT alone',
    endpointAlone: true,
  },
] as const;

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/** A managed-identity endpoint without its header (or the reverse), which MSAL would not use. */
function unpairedIdentityVariables(env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { endpoint, header, platform, endpointAlone } of identityPairs) {
    const hasEndpoint = isSet(env[endpoint]);
    const hasHeader = isSet(env[header]);
    if (hasEndpoint === hasHeader || (hasEndpoint && endpointAlone)) continue;
    const [present, missing] = hasEndpoint ? [endpoint, header] : [header, endpoint];
    problems.push({
      variable: missing,
      message: `is not set but ${present} is; @azure/identity uses the managed-identity endpoint only with both ${endpoint} and ${header}, and otherwise probes the instance-metadata service. Set ${missing} too (${platform}; locally \`npm start\` writes IDENTITY_ENDPOINT and IDENTITY_HEADER to .local-azure/stack.env), or unset ${present}.`,
    });
  }
  return problems;
}

/** Whether the environment holds a managed-identity endpoint that MSAL will use. */
function hasManagedIdentityEndpoint(env: Env): boolean {
  return identityPairs.some(
    ({ endpoint, header, endpointAlone }) =>
      isSet(env[endpoint]) && (endpointAlone || isSet(env[header])),
  );
}

function requireNeeded(data: z.infer<typeof envSchema>, needs: ConfigNeeds): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (needs.embeddings && !data.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
    problems.push({
      variable: 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
      message:
        'is not set, and this service computes embeddings. Set it to the embedding deployment name (for example text-embedding-3-small).',
    });
  }
  if (needs.storage) {
    for (const [variable, example] of [
      ['AZURE_STORAGE_QUEUE_ENDPOINT', 'https://<account>.queue.core.windows.net'],
      ['AZURE_STORAGE_BLOB_ENDPOINT', 'https://<account>.blob.core.windows.net'],
    ] as const) {
      if (!data[variable]) {
        problems.push({
          variable,
          message: `is not set, and this service uses storage. Set it to ${example} (no keys or SAS).`,
        });
      }
    }
  }
  return problems;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Reads and validates the configuration from an env object (`process.env` at the entry point).
 * Throws one KeylessConfigError listing every problem, each naming the variable and the fix;
 * keys and secrets are refused first, with code KEYLESS_ERR_KEY_PRESENT.
 */
export function loadConfig(env: Env, needs: ConfigNeeds = {}): KeylessConfig {
  const keys = findKeys(env);
  if (keys.length > 0) throw new KeylessConfigError('KEYLESS_ERR_KEY_PRESENT', keys);

  const parsed = envSchema.safeParse(env);
  const unpaired = unpairedIdentityVariables(env);
  if (!parsed.success || unpaired.length > 0) {
    const problems = (parsed.error?.issues ?? []).map((issue) => ({
      variable: String(issue.path[0] ?? 'environment'),
      message: issue.message,
    }));
    throw new KeylessConfigError('KEYLESS_ERR_CONFIG', [...problems, ...unpaired]);
  }
  const data = parsed.data;
  const missing = requireNeeded(data, needs);
  if (missing.length > 0) throw new KeylessConfigError('KEYLESS_ERR_CONFIG', missing);

  const endpoint = withoutTrailingSlash(data.AZURE_OPENAI_ENDPOINT);
  const api = data.AZURE_OPENAI_API_VERSION ? 'dated' : 'v1';
  return {
    openai: {
      endpoint,
      chatDeployment: data.AZURE_OPENAI_CHAT_DEPLOYMENT,
      ...(data.AZURE_OPENAI_EMBEDDING_DEPLOYMENT && {
        embeddingDeployment: data.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
      }),
      ...(data.AZURE_OPENAI_API_VERSION && { apiVersion: data.AZURE_OPENAI_API_VERSION }),
      scope: data.AZURE_OPENAI_SCOPE ?? openAIScopeForEndpoint(endpoint, api),
      scopeSource: data.AZURE_OPENAI_SCOPE ? 'AZURE_OPENAI_SCOPE' : `default for the ${api} API`,
      timeoutMs: data.AZURE_OPENAI_TIMEOUT_MS ?? 60_000,
      maxRetries: data.AZURE_OPENAI_MAX_RETRIES ?? 2,
    },
    identity: {
      ...(data.AZURE_CLIENT_ID && { clientId: data.AZURE_CLIENT_ID }),
      ...(data.AZURE_TENANT_ID && { tenantId: data.AZURE_TENANT_ID }),
      ...(data.AZURE_TOKEN_CREDENTIALS && {
        tokenCredentials: data.AZURE_TOKEN_CREDENTIALS.trim(),
      }),
      managedIdentityEnvironment: hasManagedIdentityEndpoint(env),
      ...(data.AZURE_FEDERATED_TOKEN_FILE && {
        federatedTokenFile: data.AZURE_FEDERATED_TOKEN_FILE,
      }),
    },
    storage: {
      ...(data.AZURE_STORAGE_QUEUE_ENDPOINT && {
        queueEndpoint: withoutTrailingSlash(data.AZURE_STORAGE_QUEUE_ENDPOINT),
      }),
      ...(data.AZURE_STORAGE_BLOB_ENDPOINT && {
        blobEndpoint: withoutTrailingSlash(data.AZURE_STORAGE_BLOB_ENDPOINT),
      }),
      scope: storageScope,
    },
  };
}

/**
 * Whether @azure/identity, which reads process.env itself, will see a managed-identity endpoint
 * (both variables of a pair: the endpoint alone sends MSAL to the instance-metadata probe).
 * If the configuration says "managed identity" but process.env has no endpoint, the library
 * would fall back to probing the instance-metadata service: credential.ts refuses that instead.
 */
export function identityLibrarySeesManagedIdentityEndpoint(): boolean {
  return hasManagedIdentityEndpoint(process.env);
}

/** AZURE_TOKEN_CREDENTIALS as @azure/identity will see it (DefaultAzureCredential reads process.env). */
export function identityLibraryTokenCredentials(): string | undefined {
  return process.env['AZURE_TOKEN_CREDENTIALS']?.trim() || undefined;
}
