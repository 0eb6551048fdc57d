import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  AzurePowerShellCredential,
  ChainedTokenCredential,
  CredentialUnavailableError,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  VisualStudioCodeCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import {
  identityLibrarySeesManagedIdentityEndpoint,
  identityLibraryTokenCredentials,
  type KeylessConfig,
} from './config.ts';
import { KeylessError } from './errors.ts';

export type CredentialSource =
  'override' | 'managed-identity' | 'developer' | 'azure-token-credentials';

type IdentityConfig = KeylessConfig['identity'];

export interface CredentialOptions {
  /** Use this credential as is (tests, or callers with their own). */
  credential?: TokenCredential;
}

export interface CredentialChoice {
  credential: TokenCredential;
  source: CredentialSource;
}

/** One row of the decision table: when it applies, what it builds, and why (for doctor and docs). */
export interface CredentialRule {
  source: CredentialSource;
  when: string;
  builds: string;
  applies: (identity: IdentityConfig, options: CredentialOptions) => boolean;
  create: (identity: IdentityConfig, options: CredentialOptions) => TokenCredential;
}

function managedIdentity(identity: IdentityConfig): TokenCredential {
  return identity.clientId
    ? new ManagedIdentityCredential({ clientId: identity.clientId })
    : new ManagedIdentityCredential();
}

/** The developer chain, in the order tried. Never managed identity, so never the metadata probe. */
export const developerCredentialNames = [
  'AzureDeveloperCliCredential',
  'AzureCliCredential',
  'VisualStudioCodeCredential',
  'AzurePowerShellCredential',
] as const;

/**
 * Prefixes a credential's "unavailable" message with its name: the chain's aggregate error
 * otherwise lists four lines all called CredentialUnavailableError.
 */
function labelled(name: string, credential: TokenCredential): TokenCredential {
  return {
    getToken: async (scopes, options) => {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        if (error instanceof CredentialUnavailableError) {
          throw new CredentialUnavailableError(`${name}: ${error.message}`, { cause: error });
        }
        throw error;
      }
    },
  };
}

/** The developer credentials one by one, in chain order (doctor tries each to say which answered). */
export function developerCredentialList(
  identity: IdentityConfig,
): Array<{ name: string; credential: TokenCredential }> {
  const tenant = identity.tenantId ? { tenantId: identity.tenantId } : {};
  const credentials: Record<(typeof developerCredentialNames)[number], TokenCredential> = {
    AzureDeveloperCliCredential: new AzureDeveloperCliCredential(tenant),
    AzureCliCredential: new AzureCliCredential(tenant),
    VisualStudioCodeCredential: new VisualStudioCodeCredential(tenant),
    AzurePowerShellCredential: new AzurePowerShellCredential(tenant),
  };
  return developerCredentialNames.map((name) => ({
    name,
    credential: labelled(name, credentials[name]),
  }));
}

function developerCredentials(identity: IdentityConfig): TokenCredential {
  return new ChainedTokenCredential(
    ...developerCredentialList(identity).map((entry) => entry.credential),
  );
}

function productionCredentials(identity: IdentityConfig): TokenCredential {
  if (!identity.federatedTokenFile) return managedIdentity(identity);
  // AKS workload identity first: when its token file is mounted, it is the identity meant.
  return new ChainedTokenCredential(
    new WorkloadIdentityCredential({
      ...(identity.clientId && { clientId: identity.clientId }),
      ...(identity.tenantId && { tenantId: identity.tenantId }),
      tokenFilePath: identity.federatedTokenFile,
    }),
    managedIdentity(identity),
  );
}

function endpointOnlyInConfig(): KeylessError {
  return new KeylessError(
    'KEYLESS_ERR_CONFIG',
    'IDENTITY_ENDPOINT and IDENTITY_HEADER (or MSI_ENDPOINT and MSI_SECRET) are in the configuration passed to loadConfig but not both in process.env, where @azure/identity reads them; the managed-identity credential would probe the instance-metadata service instead.',
    {
      fix: 'Pass process.env to loadConfig, or copy IDENTITY_ENDPOINT and IDENTITY_HEADER into process.env before creating the credential (MSAL reads them once per process).',
    },
  );
}

const tokenCredentialsIs = (identity: IdentityConfig, value: string) =>
  identity.tokenCredentials?.toLowerCase() === value;

/**
 * The decision table, first match wins (like DefaultAzureCredential's ordered list, but chosen
 * from configuration up front so that Azure never waits on developer tools and a laptop never
 * waits on the instance-metadata probe).
 */
export const credentialRules: readonly CredentialRule[] = [
  {
    source: 'override',
    when: 'a credential is passed in',
    builds: 'that credential',
    applies: (_identity, options) => options.credential !== undefined,
    create: (_identity, options) => options.credential as TokenCredential,
  },
  {
    source: 'managed-identity',
    when: 'IDENTITY_ENDPOINT and IDENTITY_HEADER (or MSI_ENDPOINT and MSI_SECRET) are set (Container Apps, App Service, the local stack)',
    builds: 'ManagedIdentityCredential({ clientId: AZURE_CLIENT_ID })',
    applies: (identity) => identity.managedIdentityEnvironment,
    create: (identity) => {
      if (!identityLibrarySeesManagedIdentityEndpoint()) throw endpointOnlyInConfig();
      return managedIdentity(identity);
    },
  },
  {
    source: 'managed-identity',
    when: 'AZURE_TOKEN_CREDENTIALS=prod',
    builds:
      'ManagedIdentityCredential (after WorkloadIdentityCredential when AZURE_FEDERATED_TOKEN_FILE is set)',
    applies: (identity) => tokenCredentialsIs(identity, 'prod'),
    create: productionCredentials,
  },
  {
    source: 'azure-token-credentials',
    when: 'AZURE_TOKEN_CREDENTIALS names one credential (for example AzureCliCredential)',
    builds: 'DefaultAzureCredential, which then uses only that credential',
    applies: (identity) =>
      identity.tokenCredentials !== undefined && !tokenCredentialsIs(identity, 'dev'),
    create: (identity) => {
      // DefaultAzureCredential reads the variable from process.env; without it there, it would
      // build its whole chain, managed identity (and the metadata probe) included.
      if (
        identityLibraryTokenCredentials()?.toLowerCase() !==
        identity.tokenCredentials?.toLowerCase()
      ) {
        throw new KeylessError(
          'KEYLESS_ERR_CONFIG',
          `AZURE_TOKEN_CREDENTIALS=${identity.tokenCredentials} is in the configuration passed to loadConfig but process.env has ${identityLibraryTokenCredentials() ?? 'nothing'}, and DefaultAzureCredential reads process.env.`,
          {
            fix: 'Pass process.env to loadConfig, or set process.env.AZURE_TOKEN_CREDENTIALS to the same value.',
          },
        );
      }
      return new DefaultAzureCredential({
        ...(identity.clientId && { managedIdentityClientId: identity.clientId }),
        ...(identity.tenantId && { tenantId: identity.tenantId }),
      });
    },
  },
  {
    source: 'developer',
    when: 'otherwise (a developer machine, or AZURE_TOKEN_CREDENTIALS=dev)',
    builds: developerCredentialNames.join(' → '),
    applies: () => true,
    create: developerCredentials,
  },
];

/** Picks the credential for this environment from the decision table. */
export function createCredential(
  identity: IdentityConfig,
  options: CredentialOptions = {},
): CredentialChoice {
  const rule = explainCredential(identity, options);
  return { credential: rule.create(identity, options), source: rule.source };
}

/** The rule that chose the credential, for doctor's "why" line. */
export function explainCredential(
  identity: IdentityConfig,
  options: CredentialOptions = {},
): CredentialRule {
  const rule = credentialRules.find((candidate) => candidate.applies(identity, options));
  // The last rule always applies; this only satisfies the type checker.
  if (!rule) throw new Error('credentialRules has no fallback rule');
  return rule;
}
