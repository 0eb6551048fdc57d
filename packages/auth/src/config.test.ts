import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Env } from './config.ts';
import { KeylessConfigError, KeylessError } from './errors.ts';

const minimal: Env = {
  AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
};

function configError(
  env: Env,
  needs?: { storage?: boolean; embeddings?: boolean },
): KeylessConfigError {
  try {
    loadConfig(env, needs);
  } catch (error) {
    if (error instanceof KeylessConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

// Made up at run time so that no key-shaped literal is ever committed.
const fakeKey = () => randomBytes(32).toString('hex');

describe('loadConfig', () => {
  it("reads a minimal environment with the v1 API, the v1 API's scope and default timeouts", () => {
    const config = loadConfig(minimal);
    expect(config.openai).toEqual({
      endpoint: 'https://contoso.openai.azure.com',
      chatDeployment: 'gpt-4o-mini',
      scope: 'https://ai.azure.com/.default',
      scopeSource: 'default for the v1 API',
      timeoutMs: 60000,
      maxRetries: 2,
    });
    expect(config.identity).toEqual({ managedIdentityEnvironment: false });
    expect(config.storage).toEqual({ scope: 'https://storage.azure.com/.default' });
  });

  it('normalises a trailing slash on the endpoints', () => {
    const config = loadConfig({
      ...minimal,
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com/',
      AZURE_STORAGE_QUEUE_ENDPOINT: 'https://contoso.queue.core.windows.net/',
    });
    expect(config.openai.endpoint).toBe('https://contoso.openai.azure.com');
    expect(config.storage.queueEndpoint).toBe('https://contoso.queue.core.windows.net');
  });

  it('reports every problem at once, each naming the variable', () => {
    const error = configError({
      AZURE_OPENAI_ENDPOINT: 'http://contoso.openai.azure.com',
      AZURE_CLIENT_ID: 'not-a-guid',
      AZURE_OPENAI_TIMEOUT_MS: 'soon',
    });
    expect(error.code).toBe('KEYLESS_ERR_CONFIG');
    expect(error).toBeInstanceOf(KeylessError);
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'AZURE_CLIENT_ID',
      'AZURE_OPENAI_CHAT_DEPLOYMENT',
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_TIMEOUT_MS',
    ]);
    expect(error.message).toContain('AZURE_OPENAI_ENDPOINT: must use https');
    expect(error.message).toContain('AZURE_OPENAI_CHAT_DEPLOYMENT: is not set');
  });

  it('says where to find the endpoint when it is missing', () => {
    const error = configError({ AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini' });
    expect(error.message).toMatch(/AZURE_OPENAI_ENDPOINT: is not set.*azd env get-values/);
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])(
    'allows plain http on loopback (%s) for the local stack',
    (endpoint) => {
      expect(loadConfig({ ...minimal, AZURE_OPENAI_ENDPOINT: endpoint }).openai.endpoint).toBe(
        endpoint,
      );
    },
  );

  it('rejects an endpoint that already includes the /openai path', () => {
    const error = configError({
      ...minimal,
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com/openai/v1/',
    });
    expect(error.problems[0]?.variable).toBe('AZURE_OPENAI_ENDPOINT');
    expect(error.message).toContain('without the /openai path');
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(configError({ ...minimal, AZURE_OPENAI_ENDPOINT: 'contoso' }).message).toContain(
      'is not a URL',
    );
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({
      ...minimal,
      AZURE_CLIENT_ID: '',
      AZURE_OPENAI_API_VERSION: '',
      AZURE_TOKEN_CREDENTIALS: '',
    });
    expect(config.identity.clientId).toBeUndefined();
    expect(config.openai.apiVersion).toBeUndefined();
    expect(config.identity.tokenCredentials).toBeUndefined();
    expect(
      configError({ ...minimal, AZURE_OPENAI_CHAT_DEPLOYMENT: '' }).problems[0]?.variable,
    ).toBe('AZURE_OPENAI_CHAT_DEPLOYMENT');
  });

  it('reads the identity, api version, timeouts and storage endpoints', () => {
    const config = loadConfig({
      ...minimal,
      AZURE_OPENAI_API_VERSION: '2024-10-21',
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small',
      AZURE_OPENAI_TIMEOUT_MS: '1500',
      AZURE_OPENAI_MAX_RETRIES: '0',
      AZURE_CLIENT_ID: 'b4a4294f-b966-5176-a3ea-ef54fda15e84',
      AZURE_TENANT_ID: '9bfd9174-48aa-529b-967c-de35e8916ecc',
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
      IDENTITY_ENDPOINT: 'http://127.0.0.1:8079/msi/token',
      IDENTITY_HEADER: 'local-test-header',
      AZURE_STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:10001/devstoreaccount1',
      AZURE_STORAGE_BLOB_ENDPOINT: 'https://127.0.0.1:10000/devstoreaccount1',
    });
    expect(config.openai).toMatchObject({
      apiVersion: '2024-10-21',
      embeddingDeployment: 'text-embedding-3-small',
      timeoutMs: 1500,
      maxRetries: 0,
    });
    expect(config.identity).toEqual({
      clientId: 'b4a4294f-b966-5176-a3ea-ef54fda15e84',
      tenantId: '9bfd9174-48aa-529b-967c-de35e8916ecc',
      tokenCredentials: 'ManagedIdentityCredential',
      managedIdentityEnvironment: true,
    });
    expect(config.storage.blobEndpoint).toBe('https://127.0.0.1:10000/devstoreaccount1');
  });

  it('counts MSI_ENDPOINT with MSI_SECRET (older App Service) as a managed-identity environment', () => {
    expect(
      loadConfig({
        ...minimal,
        MSI_ENDPOINT: 'http://127.0.0.1:8079/msi/token',
        MSI_SECRET: 'local-test-secret',
      }).identity.managedIdentityEnvironment,
    ).toBe(true);
  });

  it('rejects IDENTITY_ENDPOINT without IDENTITY_HEADER, which would send MSAL to the instance-metadata probe', () => {
    const error = configError({ ...minimal, IDENTITY_ENDPOINT: 'http://127.0.0.1:8079/msi/token' });
    expect(error.code).toBe('KEYLESS_ERR_CONFIG');
    expect(error.problems.map((problem) => problem.variable)).toEqual(['IDENTITY_HEADER']);
    expect(error.message).toContain('IDENTITY_ENDPOINT');
    expect(error.message).toContain('Set IDENTITY_HEADER too');
    expect(error.message).toContain('Container Apps/App Service set both');
    expect(error.message).toContain(
      '`npm start` writes IDENTITY_ENDPOINT and IDENTITY_HEADER to .local-azure/stack.env',
    );
  });

  it('rejects IDENTITY_HEADER without IDENTITY_ENDPOINT, naming the missing endpoint', () => {
    const error = configError({ ...minimal, IDENTITY_HEADER: 'local-test-header' });
    expect(error.problems.map((problem) => problem.variable)).toEqual(['IDENTITY_ENDPOINT']);
    expect(error.message).toContain('Set IDENTITY_ENDPOINT too');
  });

  it('counts MSI_ENDPOINT alone (Cloud Shell) as a managed-identity environment', () => {
    const config = loadConfig({ ...minimal, MSI_ENDPOINT: 'http://127.0.0.1:8079/msi/token' });
    expect(config.identity.managedIdentityEnvironment).toBe(true);
  });

  it('rejects MSI_SECRET without MSI_ENDPOINT', () => {
    const error = configError({ ...minimal, MSI_SECRET: 'local-test-secret' });
    expect(error.problems.map((problem) => problem.variable)).toEqual(['MSI_ENDPOINT']);
    expect(error.message).toContain('Set MSI_ENDPOINT too');
  });

  it('reports an unpaired identity variable together with the other problems', () => {
    const error = configError({
      ...minimal,
      AZURE_CLIENT_ID: 'x',
      IDENTITY_ENDPOINT: 'http://127.0.0.1:8079',
    });
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'AZURE_CLIENT_ID',
      'IDENTITY_HEADER',
    ]);
  });

  it('rejects an API version that is not dated, saying to unset it for v1', () => {
    const error = configError({ ...minimal, AZURE_OPENAI_API_VERSION: 'v1' });
    expect(error.message).toContain('Unset AZURE_OPENAI_API_VERSION to use the v1 API');
  });

  it('rejects an unknown AZURE_TOKEN_CREDENTIALS value', () => {
    const error = configError({ ...minimal, AZURE_TOKEN_CREDENTIALS: 'EverythingCredential' });
    expect(error.problems[0]?.variable).toBe('AZURE_TOKEN_CREDENTIALS');
  });

  it('rejects a deployment name that looks like a URL', () => {
    const error = configError({
      ...minimal,
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'https://x/deployments/gpt',
    });
    expect(error.message).toContain('not the model name or a URL');
  });

  it('requires storage endpoints and the embedding deployment when the service needs them', () => {
    const error = configError(minimal, { storage: true, embeddings: true });
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
      'AZURE_STORAGE_QUEUE_ENDPOINT',
      'AZURE_STORAGE_BLOB_ENDPOINT',
    ]);
  });
});

describe('loadConfig scope', () => {
  it.each([
    ['https://contoso.openai.azure.com', 'https://ai.azure.com/.default'],
    ['https://contoso.openai.azure.us', 'https://cognitiveservices.azure.us/.default'],
    ['https://contoso.openai.azure.cn', 'https://cognitiveservices.azure.cn/.default'],
    ['http://127.0.0.1:8080', 'https://ai.azure.com/.default'],
  ])('picks the v1 scope for %s from its cloud', (endpoint, scope) => {
    expect(loadConfig({ ...minimal, AZURE_OPENAI_ENDPOINT: endpoint }).openai.scope).toBe(scope);
  });

  it.each([
    ['https://contoso.openai.azure.com', 'https://cognitiveservices.azure.com/.default'],
    ['https://contoso.openai.azure.us', 'https://cognitiveservices.azure.us/.default'],
  ])('picks the dated API scope for %s when an API version is set', (endpoint, scope) => {
    const config = loadConfig({
      ...minimal,
      AZURE_OPENAI_ENDPOINT: endpoint,
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    });
    expect(config.openai.scope).toBe(scope);
    expect(config.openai.scopeSource).toBe('default for the dated API');
  });

  it('honours AZURE_OPENAI_SCOPE over the default and says so', () => {
    const config = loadConfig({
      ...minimal,
      AZURE_OPENAI_SCOPE: 'https://cognitiveservices.azure.com/.default',
    });
    expect(config.openai.scope).toBe('https://cognitiveservices.azure.com/.default');
    expect(config.openai.scopeSource).toBe('AZURE_OPENAI_SCOPE');
  });

  it('rejects a scope without /.default', () => {
    expect(
      configError({ ...minimal, AZURE_OPENAI_SCOPE: 'https://ai.azure.com' }).message,
    ).toContain('/.default');
  });
});

describe('loadConfig refuses keys', () => {
  it.each(['AZURE_OPENAI_API_KEY', 'OPENAI_API_KEY', 'AZURE_OPENAI_KEY'])(
    'refuses %s and names the OpenAI role to grant instead, never echoing the key',
    (variable) => {
      const key = fakeKey();
      const error = configError({ ...minimal, [variable]: key });
      expect(error.code).toBe('KEYLESS_ERR_KEY_PRESENT');
      expect(error.message).toContain(`Remove ${variable}`);
      expect(error.message).toContain('this template is keyless');
      expect(error.message).toContain('Cognitive Services OpenAI User');
      expect(error.message).not.toContain(key);
    },
  );

  it('refuses a storage connection string with an account key and names the storage roles', () => {
    const key = randomBytes(64).toString('base64');
    const error = configError({
      ...minimal,
      AZURE_STORAGE_CONNECTION_STRING: [
        'DefaultEndpointsProtocol=https',
        'AccountName=contoso',
        `AccountKey=${key}`,
      ].join(';'),
    });
    expect(error.code).toBe('KEYLESS_ERR_KEY_PRESENT');
    expect(error.message).toContain('Remove AZURE_STORAGE_CONNECTION_STRING');
    expect(error.message).toContain('Storage Queue Data Contributor');
    expect(error.message).not.toContain(key);
  });

  it('refuses a SAS in any variable, including a storage endpoint', () => {
    const signature = fakeKey();
    const error = configError({
      ...minimal,
      AZURE_STORAGE_BLOB_ENDPOINT: `https://contoso.blob.core.windows.net/?sv=2024-01-01&sig=${signature}`,
    });
    expect(error.problems[0]?.variable).toBe('AZURE_STORAGE_BLOB_ENDPOINT');
    expect(error.message).not.toContain(signature);
  });

  it('refuses AZURE_CLIENT_SECRET and points to managed identity or workload identity federation', () => {
    const error = configError({ ...minimal, AZURE_CLIENT_SECRET: fakeKey() });
    expect(error.message).toContain('Remove AZURE_CLIENT_SECRET');
    expect(error.message).toContain('workload identity federation');
  });

  it.each(['AZURE_STORAGE_KEY', 'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_SAS_TOKEN'])(
    'refuses %s and names the storage roles instead, never echoing the value',
    (variable) => {
      const key = fakeKey();
      const error = configError({ ...minimal, [variable]: key });
      expect(error.code).toBe('KEYLESS_ERR_KEY_PRESENT');
      expect(error.problems.map((problem) => problem.variable)).toEqual([variable]);
      expect(error.message).toContain(`Remove ${variable}`);
      expect(error.message).toContain('Storage Blob Data Contributor');
      expect(error.message).not.toContain(key);
    },
  );

  it.each(['AZURE_PASSWORD', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD'])(
    'refuses %s and points to managed identity, workload identity federation or az login',
    (variable) => {
      const secret = fakeKey();
      const error = configError({ ...minimal, [variable]: secret });
      expect(error.code).toBe('KEYLESS_ERR_KEY_PRESENT');
      expect(error.message).toContain(`Remove ${variable}`);
      expect(error.message).toContain('managed identity');
      expect(error.message).toContain('workload identity federation');
      expect(error.message).toContain('`az login`');
      expect(error.message).not.toContain(secret);
    },
  );

  it('names AZURE_USERNAME along with AZURE_PASSWORD, never echoing either value', () => {
    const user = `user-${fakeKey()}@contoso.com`;
    const password = fakeKey();
    const error = configError({ ...minimal, AZURE_USERNAME: user, AZURE_PASSWORD: password });
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'AZURE_PASSWORD',
      'AZURE_USERNAME',
    ]);
    expect(error.message).not.toContain(user);
    expect(error.message).not.toContain(password);
  });

  it.each(['EnvironmentCredential', ' environmentcredential '])(
    'refuses AZURE_TOKEN_CREDENTIALS=%s, the secret-based credential, naming keyless ones instead',
    (value) => {
      const error = configError({ ...minimal, AZURE_TOKEN_CREDENTIALS: value });
      expect(error.code).toBe('KEYLESS_ERR_KEY_PRESENT');
      expect(error.problems.map((problem) => problem.variable)).toEqual([
        'AZURE_TOKEN_CREDENTIALS',
      ]);
      expect(error.message).toContain('selects EnvironmentCredential');
      expect(error.message).toContain('ManagedIdentityCredential');
      expect(error.message).toContain('`az login`');
    },
  );

  it('ignores key variables that are set but empty', () => {
    expect(() => loadConfig({ ...minimal, AZURE_OPENAI_API_KEY: '' })).not.toThrow();
  });
});
