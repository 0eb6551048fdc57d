import { describe, expect, it } from 'vitest';
import { KeylessConfigError } from '@keyless/auth';
import { loadHttpServiceConfig, parseSize } from './config.ts';

const base = {
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
  AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
};

function problemsOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
  try {
    loadHttpServiceConfig(env);
  } catch (error) {
    if (error instanceof KeylessConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a KeylessConfigError');
}

describe('loadHttpServiceConfig', () => {
  it('uses the documented defaults, listening on loopback', () => {
    const config = loadHttpServiceConfig(base);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      bodyLimit: '1mb',
      bodyLimitBytes: 1024 * 1024,
      shutdownTimeoutMs: 25_000,
      readinessTimeoutMs: 2_000,
      readinessCacheMs: 5_000,
      logLevel: 'info',
    });
    expect(config.keyless.openai.chatDeployment).toBe('gpt-4o-mini');
    // One retry inside a request, not @keyless/auth's 2: on the client every route gets.
    expect(config.keyless.openai.maxRetries).toBe(1);
  });

  it("takes the service's own port as the default when it gives one", () => {
    expect(loadHttpServiceConfig(base, { port: 3007 }).port).toBe(3007);
    expect(loadHttpServiceConfig({ ...base, PORT: '9' }, { port: 3007 }).port).toBe(9);
  });

  it('takes the kind-named settings from the environment', () => {
    const config = loadHttpServiceConfig({
      ...base,
      PORT: '8081',
      HOST: '0.0.0.0',
      API_BODY_LIMIT: '64kb',
      AZURE_OPENAI_MAX_RETRIES: '0',
      API_SHUTDOWN_TIMEOUT_MS: '500',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8081,
      bodyLimit: '64kb',
      bodyLimitBytes: 65_536,
      shutdownTimeoutMs: 500,
      logLevel: 'warn',
    });
    expect(config.keyless.openai.maxRetries).toBe(0);
  });

  it('treats an empty variable as unset', () => {
    expect(loadHttpServiceConfig({ ...base, PORT: '' }).port).toBe(3000);
  });

  it('lists every problem at once, each naming its variable and its fix', () => {
    const problems = problemsOf({
      ...base,
      PORT: 'eighty',
      API_BODY_LIMIT: 'lots',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((problem) => problem.variable)).toEqual([
      'LOG_LEVEL',
      'PORT',
      'API_BODY_LIMIT',
    ]);
    expect(problems.find((problem) => problem.variable === 'API_BODY_LIMIT')?.message).toContain(
      'set API_BODY_LIMIT to a size such as 1mb',
    );
  });

  it("reports @keyless/auth's problems together with the kind's own", () => {
    const variables = problemsOf({
      PORT: '70000',
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
    }).map((problem) => problem.variable);
    expect(variables).toContain('AZURE_OPENAI_ENDPOINT');
    expect(variables).toContain('PORT');
  });

  it('refuses a key in the environment outright', () => {
    const key = Array.from({ length: 32 }, (_, index) => (index % 16).toString(16)).join('');
    expect(() => loadHttpServiceConfig({ ...base, AZURE_OPENAI_API_KEY: key })).toThrow(
      expect.objectContaining({ code: 'KEYLESS_ERR_KEY_PRESENT' }),
    );
  });
});

describe('parseSize', () => {
  it("reads Express's size notation in 1024-based units", () => {
    expect(parseSize('100b')).toBe(100);
    expect(parseSize('2kb')).toBe(2048);
    expect(parseSize('1.5MB')).toBe(1_572_864);
  });

  it('names the notation when the size is not one', () => {
    expect(() => parseSize('huge')).toThrow(/100kb or 1mb/);
  });
});
