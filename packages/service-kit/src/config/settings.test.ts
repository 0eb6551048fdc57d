import { describe, expect, it } from 'vitest';
import { KeylessConfigError } from '@keyless/auth';
import { commonSettings, integer, loadServiceSettings } from './settings.ts';

const keylessEnv = {
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'chat',
  AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
};

describe('the service configuration convention', () => {
  it('applies defaults for unset and empty variables, and listens on loopback by default', () => {
    const { settings } = loadServiceSettings(
      { ...keylessEnv, PORT: '' },
      { ...commonSettings, PORT: integer(0, 65535, 3000) },
    );
    expect(settings).toEqual({ HOST: '127.0.0.1', LOG_LEVEL: 'info', PORT: 3000 });
  });

  it('reports the keyless and the service problems together, each naming its variable and fix', () => {
    let error: unknown;
    try {
      loadServiceSettings(
        { PORT: 'eighty' },
        { PORT: integer(0, 65535, 3000) },
        { fixes: { PORT: 'set the port to listen on' } },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeylessConfigError);
    const problems = (error as KeylessConfigError).problems;
    expect(problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining(['AZURE_OPENAI_ENDPOINT', 'PORT']),
    );
    expect(problems.find((p) => p.variable === 'PORT')?.message).toMatch(
      /"eighty" must be a whole number.*set the port to listen on/,
    );
  });

  it("points a bad service setting's fix at the service kit's settings, not only at @keyless/auth's", () => {
    const fixFor = (env: Record<string, string>) => {
      try {
        loadServiceSettings(env, { PORT: integer(0, 65535, 3000) });
      } catch (error) {
        return (error as KeylessConfigError).fix;
      }
      throw new Error('expected a KeylessConfigError');
    };
    expect(fixFor({ ...keylessEnv, PORT: 'eighty' })).toContain('packages/service-kit/README.md');
    // Only Azure settings wrong: the fix is @keyless/auth's own.
    expect(fixFor({ PORT: '80' })).toBe(
      'Set the variables named in the message (see the configuration table in packages/auth/README.md).',
    );
  });
});
