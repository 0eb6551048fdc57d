/**
 * The http kind's configuration: @keyless/auth's keyless settings plus the kind's own, named for
 * the kind (`API_*`) so that every http service reads the same variables. Read once at start-up;
 * every problem is reported at once, each naming its variable and the fix.
 */
import type { KeylessConfig } from '@keyless/auth';
import { z } from 'zod';
import { commonSettings, integer, loadServiceSettings } from '../config/settings.ts';
import type { Env } from '../config/settings.ts';

export interface HttpServiceConfig {
  keyless: KeylessConfig;
  /** Interface to listen on: loopback unless HOST says otherwise (the Dockerfile sets 0.0.0.0). */
  host: string;
  port: number;
  /** Largest accepted request body, as written (`100kb`, `1mb`) … */
  bodyLimit: string;
  /** … and in bytes. */
  bodyLimitBytes: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  readinessTimeoutMs: number;
  /** How long a successful readiness check is reused, so probes do not fetch a token each time. */
  readinessCacheMs: number;
  logLevel: string;
}

const sizeUnits = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
const sizePattern = /^(\d+(?:\.\d+)?)(b|kb|mb)$/i;

/** `100kb` → 102400; the same notation (and 1024-based units) as Express's body parser. */
export function parseSize(size: string): number {
  const match = sizePattern.exec(size.trim());
  if (!match) throw new RangeError(`"${size}" is not a size such as 100kb or 1mb`);
  const unit = (match[2] ?? 'b').toLowerCase() as keyof typeof sizeUnits;
  return Math.floor(Number(match[1]) * sizeUnits[unit]);
}

export const httpSettings = {
  ...commonSettings,
  PORT: integer(0, 65535, 3000),
  API_BODY_LIMIT: z
    .string()
    .regex(sizePattern, { message: 'must be a size such as 100kb or 1mb' })
    .default('1mb'),
  // Container Apps waits 30 s (its default grace period) between SIGTERM and SIGKILL.
  API_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 25_000),
  API_READINESS_TIMEOUT_MS: integer(100, 60_000, 2_000),
  API_READINESS_CACHE_MS: integer(0, 600_000, 5_000),
};

const fixes = {
  PORT: 'set PORT to the port to listen on, or unset it',
  API_BODY_LIMIT: 'set API_BODY_LIMIT to a size such as 1mb, or unset it',
  API_SHUTDOWN_TIMEOUT_MS: 'set API_SHUTDOWN_TIMEOUT_MS in milliseconds, or unset it',
  API_READINESS_TIMEOUT_MS: 'set API_READINESS_TIMEOUT_MS in milliseconds, or unset it',
  API_READINESS_CACHE_MS: 'set API_READINESS_CACHE_MS in milliseconds, or unset it',
  LOG_LEVEL: 'set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent',
};

export interface HttpConfigDefaults {
  /** The port when PORT is unset: the service's port in services.json. */
  port?: number;
}

/** Reads and validates an http service's configuration; throws a KeylessConfigError listing every problem. */
export function loadHttpServiceConfig(
  env: Env,
  defaults: HttpConfigDefaults = {},
): HttpServiceConfig {
  const shape =
    defaults.port === undefined
      ? httpSettings
      : { ...httpSettings, PORT: integer(0, 65535, defaults.port) };
  const loaded = loadServiceSettings(env, shape, { fixes });
  const { settings } = loaded;
  // Retries of a model call inside one request: AZURE_OPENAI_MAX_RETRIES, but 1 when unset (not
  // @keyless/auth's 2), because the caller is waiting and gets a 429 with Retry-After. Set on the
  // keyless configuration itself, so the OpenAI client every route gets has it by default.
  const keyless = env.AZURE_OPENAI_MAX_RETRIES
    ? loaded.keyless
    : { ...loaded.keyless, openai: { ...loaded.keyless.openai, maxRetries: 1 } };
  return {
    keyless,
    host: settings.HOST,
    port: settings.PORT,
    bodyLimit: settings.API_BODY_LIMIT,
    bodyLimitBytes: parseSize(settings.API_BODY_LIMIT),
    shutdownTimeoutMs: settings.API_SHUTDOWN_TIMEOUT_MS,
    readinessTimeoutMs: settings.API_READINESS_TIMEOUT_MS,
    readinessCacheMs: settings.API_READINESS_CACHE_MS,
    logLevel: settings.LOG_LEVEL,
  };
}
