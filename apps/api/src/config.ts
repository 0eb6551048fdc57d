/**
 * The api's configuration, read from the environment once at start-up: the keyless settings
 * (endpoint, deployments, identity) come from @keyless/auth; the api adds its own HTTP settings.
 * Every problem is reported at once, each naming the variable and the fix.
 */
import { KeylessConfigError, loadConfig } from '@keyless/auth';
import type { KeylessConfig } from '@keyless/auth';
import { z } from 'zod';

export interface ApiConfig {
  keyless: KeylessConfig;
  /** Interface to listen on: all of them in a container; 127.0.0.1 in tests. */
  host: string;
  port: number;
  /** Largest accepted request body, in the `bytes` notation of Express (`100kb`, `1mb`). */
  bodyLimit: string;
  /**
   * Retries of the model call inside one request: AZURE_OPENAI_MAX_RETRIES, but 1 when unset
   * (not @keyless/auth's 2), because the caller is waiting and gets a 429 with Retry-After.
   */
  upstreamMaxRetries: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  readinessTimeoutMs: number;
  /** How long a successful readiness check is reused, so probes do not fetch a token each time. */
  readinessCacheMs: number;
  logLevel: string;
}

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const apiSettings = z.object({
  PORT: integer(0, 65535).default(3000),
  API_BODY_LIMIT: z
    .string()
    .regex(/^\d+(\.\d+)?(b|kb|mb)$/i, 'must be a size such as 100kb or 1mb')
    .default('1mb'),
  HOST: z.string().min(1).default('0.0.0.0'),
  // Container Apps waits 30 s (its default grace period) between SIGTERM and SIGKILL.
  API_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(25_000),
  API_READINESS_TIMEOUT_MS: integer(100, 60_000).default(2_000),
  API_READINESS_CACHE_MS: integer(0, 600_000).default(5_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Reads and validates the api's configuration; throws a KeylessConfigError listing every problem. */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  const problems: Array<{ variable: string; message: string }> = [];
  let keyless: KeylessConfig | undefined;
  try {
    keyless = loadConfig(env);
  } catch (error) {
    // A key in the environment is refused outright, whatever else is wrong.
    if (!(error instanceof KeylessConfigError) || error.code !== 'KEYLESS_ERR_CONFIG') throw error;
    problems.push(...error.problems);
  }
  const settings = apiSettings.safeParse(withoutEmptyValues(env));
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      const variable = String(issue.path[0]);
      problems.push({ variable, message: `${issue.message} (got "${env[variable]}")` });
    }
  }
  if (problems.length > 0 || !keyless || !settings.success) {
    throw new KeylessConfigError('KEYLESS_ERR_CONFIG', problems);
  }
  return {
    keyless,
    host: settings.data.HOST,
    port: settings.data.PORT,
    bodyLimit: settings.data.API_BODY_LIMIT,
    upstreamMaxRetries: env.AZURE_OPENAI_MAX_RETRIES ? keyless.openai.maxRetries : 1,
    shutdownTimeoutMs: settings.data.API_SHUTDOWN_TIMEOUT_MS,
    readinessTimeoutMs: settings.data.API_READINESS_TIMEOUT_MS,
    readinessCacheMs: settings.data.API_READINESS_CACHE_MS,
    logLevel: settings.data.LOG_LEVEL,
  };
}

// An empty variable (`PORT=`) means "use the default", as it does in most shells' tooling.
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
  );
  return Object.fromEntries(entries);
}
