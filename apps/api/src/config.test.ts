import { describe, expect, it } from 'vitest';
import { KeylessConfigError } from '@keyless/auth';
import { loadApiConfig } from './config.ts';

const base = {
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
  AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
};

function problemsOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof KeylessConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a KeylessConfigError');
}

describe('loadApiConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadApiConfig(base);
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
      bodyLimit: '1mb',
      upstreamMaxRetries: 1,
      shutdownTimeoutMs: 25_000,
      logLevel: 'info',
    });
    expect(config.keyless.openai.chatDeployment).toBe('gpt-4o-mini');
  });

  it('takes the api settings from the environment', () => {
    const config = loadApiConfig({
      ...base,
      PORT: '8081',
      HOST: '127.0.0.1',
      API_BODY_LIMIT: '64kb',
      AZURE_OPENAI_MAX_RETRIES: '0',
      API_SHUTDOWN_TIMEOUT_MS: '500',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8081,
      bodyLimit: '64kb',
      upstreamMaxRetries: 0,
      shutdownTimeoutMs: 500,
      logLevel: 'warn',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadApiConfig({ ...base, PORT: '' }).port).toBe(3000);
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      ...base,
      PORT: 'eighty',
      API_BODY_LIMIT: 'lots',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((problem) => problem.variable)).toEqual([
      'PORT',
      'API_BODY_LIMIT',
      'LOG_LEVEL',
    ]);
    expect(problems[1]?.message).toContain('100kb or 1mb');
  });

  it("reports @keyless/auth's problems together with the api's own", () => {
    const problems = problemsOf({
      PORT: '70000',
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
    });
    const variables = problems.map((problem) => problem.variable);
    expect(variables).toContain('AZURE_OPENAI_ENDPOINT');
    expect(variables).toContain('PORT');
  });

  it('refuses a key in the environment outright', () => {
    const key = Array.from({ length: 32 }, (_, index) => (index % 16).toString(16)).join('');
    expect(() => loadApiConfig({ ...base, AZURE_OPENAI_API_KEY: key })).toThrow(
      expect.objectContaining({ code: 'KEYLESS_ERR_KEY_PRESENT' }),
    );
  });
});
