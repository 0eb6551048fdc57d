import {
  ChainedTokenCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredential, credentialRules, explainCredential } from './credential.ts';

const fixed: TokenCredential = {
  getToken: () =>
    Promise.resolve({ token: 'not-a-real-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('createCredential decision table', () => {
  // @azure/identity reads the endpoint from process.env; nothing is requested in these tests.
  beforeEach(() => {
    process.env['IDENTITY_ENDPOINT'] = 'http://127.0.0.1:9/msi/token';
    process.env['IDENTITY_HEADER'] = 'local-test-header';
  });
  afterEach(() => {
    delete process.env['IDENTITY_ENDPOINT'];
    delete process.env['IDENTITY_HEADER'];
  });

  it('uses an explicit override before anything else, even in a managed-identity environment', () => {
    const choice = createCredential({ managedIdentityEnvironment: true }, { credential: fixed });
    expect(choice).toEqual({ credential: fixed, source: 'override' });
  });

  it('uses managed identity only when IDENTITY_ENDPOINT and IDENTITY_HEADER are present', () => {
    const choice = createCredential({
      managedIdentityEnvironment: true,
      clientId: 'b4a4294f-b966-5176-a3ea-ef54fda15e84',
    });
    expect(choice.source).toBe('managed-identity');
    expect(choice.credential).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('prefers the managed-identity environment over AZURE_TOKEN_CREDENTIALS naming a developer tool', () => {
    const choice = createCredential({
      managedIdentityEnvironment: true,
      tokenCredentials: 'AzureCliCredential',
    });
    expect(choice.source).toBe('managed-identity');
  });

  it('refuses managed identity when only the passed configuration has IDENTITY_ENDPOINT, rather than let the library probe instance metadata', () => {
    delete process.env['IDENTITY_ENDPOINT'];
    expect(() => createCredential({ managedIdentityEnvironment: true })).toThrow(
      /not both in process.env.*Pass process.env to loadConfig/s,
    );
  });

  it('refuses managed identity when process.env has IDENTITY_ENDPOINT without IDENTITY_HEADER, which MSAL would skip for the instance-metadata probe', () => {
    delete process.env['IDENTITY_HEADER'];
    expect(() => createCredential({ managedIdentityEnvironment: true })).toThrow(
      /IDENTITY_ENDPOINT and IDENTITY_HEADER.*not both in process.env/s,
    );
  });

  it('uses managed identity for AZURE_TOKEN_CREDENTIALS=prod', () => {
    const choice = createCredential({
      managedIdentityEnvironment: false,
      tokenCredentials: 'prod',
    });
    expect(choice.source).toBe('managed-identity');
    expect(choice.credential).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('chains workload identity before managed identity for prod when a federated token file is mounted', () => {
    const choice = createCredential({
      managedIdentityEnvironment: false,
      tokenCredentials: 'PROD',
      clientId: 'b4a4294f-b966-5176-a3ea-ef54fda15e84',
      tenantId: '9bfd9174-48aa-529b-967c-de35e8916ecc',
      federatedTokenFile: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
    expect(choice.source).toBe('managed-identity');
    expect(choice.credential).toBeInstanceOf(ChainedTokenCredential);
  });

  it('hands a specific AZURE_TOKEN_CREDENTIALS name to DefaultAzureCredential, which honours it', () => {
    process.env['AZURE_TOKEN_CREDENTIALS'] = 'AzureCliCredential';
    try {
      const choice = createCredential({
        managedIdentityEnvironment: false,
        tokenCredentials: 'AzureCliCredential',
      });
      expect(choice.source).toBe('azure-token-credentials');
      expect(choice.credential).toBeInstanceOf(DefaultAzureCredential);
    } finally {
      delete process.env['AZURE_TOKEN_CREDENTIALS'];
    }
  });

  it('refuses a credential name that process.env does not carry, rather than let DefaultAzureCredential use its whole chain', () => {
    expect(() =>
      createCredential({
        managedIdentityEnvironment: false,
        tokenCredentials: 'AzureCliCredential',
      }),
    ).toThrow(/process.env has nothing/);
  });

  it.each([undefined, 'dev', 'Dev'])(
    'uses the developer chain, not managed identity, when AZURE_TOKEN_CREDENTIALS is %s',
    (tokenCredentials) => {
      const choice = createCredential({
        managedIdentityEnvironment: false,
        ...(tokenCredentials && { tokenCredentials }),
      });
      expect(choice.source).toBe('developer');
      expect(choice.credential).toBeInstanceOf(ChainedTokenCredential);
      expect(choice.credential).not.toBeInstanceOf(DefaultAzureCredential);
    },
  );

  it('explains its choice with the rule that matched', () => {
    expect(explainCredential({ managedIdentityEnvironment: true }).when).toContain(
      'IDENTITY_ENDPOINT',
    );
  });

  it('ends in a rule that always applies, so every environment gets a credential', () => {
    const last = credentialRules.at(-1);
    expect(last?.source).toBe('developer');
    expect(last?.applies({ managedIdentityEnvironment: false }, {})).toBe(true);
  });
});
