import { KeylessConfigError, loadConfig } from '@keyless/auth';
import type { KeylessConfig } from '@keyless/auth';
import { z } from 'zod';

/** Everything the worker needs, read from the environment once at start-up. */
export interface WorkerConfig {
  keyless: KeylessConfig;
  /** Where /healthz and /readyz listen (Container Apps probes). */
  host: string;
  port: number;
  /** Jobs processed at the same time. */
  concurrency: number;
  /** A message dequeued more often than this goes to the poison queue. */
  maxDequeue: number;
  /** How long a received message stays hidden; renewed while its job runs. */
  visibilityTimeoutSeconds: number;
  /** How often a running job's visibility timeout is pushed out again (default: a third of it). */
  renewIntervalMs: number;
  /** Visibility delay before a failed job is retried: base × 2^(dequeueCount-1), capped at max. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Longest pause between polls of an empty queue. */
  pollIntervalMs: number;
  /** How long SIGTERM waits for in-flight jobs before handing them back to the queue. */
  shutdownTimeoutMs: number;
  queueName: string;
  poisonQueueName: string;
  resultsContainer: string;
  logLevel: string;
}

type Env = Record<string, string | undefined>;

// Queue and container names share Azure's rule: 3-63 lowercase letters, digits and single hyphens.
const storageName = z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
  message: 'must be 3-63 lowercase letters, digits or single hyphens',
});

const integer = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

const settingsSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535, 3001),
  WORKER_CONCURRENCY: integer(1, 256, 8),
  WORKER_MAX_DEQUEUE: integer(1, 1000, 5),
  // The Queue service allows at most 7 days of invisibility.
  WORKER_VISIBILITY_TIMEOUT_SECONDS: integer(1, 604_800, 60),
  WORKER_RENEW_INTERVAL_MS: z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(100, { message: 'must be at least 100' })
    .optional(),
  WORKER_RETRY_BASE_SECONDS: integer(0, 604_800, 5),
  WORKER_RETRY_MAX_SECONDS: integer(0, 604_800, 300),
  WORKER_POLL_INTERVAL_MS: integer(10, 60_000, 1000),
  WORKER_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 25_000),
  WORKER_QUEUE: storageName.default('jobs'),
  WORKER_POISON_QUEUE: storageName.default('jobs-poison'),
  WORKER_RESULTS_CONTAINER: storageName.default('results'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const fixes: Record<string, string> = {
  WORKER_CONCURRENCY: 'set it to the number of jobs to run at once (default 8)',
  WORKER_VISIBILITY_TIMEOUT_SECONDS: 'the Queue service accepts 1 s to 7 days (default 60)',
};

/**
 * Reads the worker's configuration: @keyless/auth's (endpoints, identity, storage) plus the
 * worker's own settings. Every problem is reported at once, each naming its variable.
 */
export function loadWorkerConfig(env: Env): WorkerConfig {
  const problems: Array<{ variable: string; message: string }> = [];
  let keyless: KeylessConfig | undefined;
  try {
    keyless = loadConfig(env, { storage: true });
  } catch (error) {
    if (!(error instanceof KeylessConfigError)) throw error;
    if (error.code !== 'KEYLESS_ERR_CONFIG') throw error;
    problems.push(...error.problems);
  }

  // An empty variable means "use the default", as an unset one does.
  const present = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((name) => [
      name,
      env[name] === '' ? undefined : env[name],
    ]),
  );
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      const fix = fixes[variable];
      problems.push({
        variable,
        message: `${JSON.stringify(env[variable])} ${issue.message}${fix ? `; ${fix}` : ''}`,
      });
    }
  }
  const settings = parsed.data;
  if (settings && settings.WORKER_POISON_QUEUE === settings.WORKER_QUEUE) {
    problems.push({
      variable: 'WORKER_POISON_QUEUE',
      message: `is the same queue as WORKER_QUEUE (${settings.WORKER_QUEUE}); poison messages must go elsewhere (default jobs-poison)`,
    });
  }
  if (
    settings?.WORKER_RENEW_INTERVAL_MS !== undefined &&
    settings.WORKER_RENEW_INTERVAL_MS >= settings.WORKER_VISIBILITY_TIMEOUT_SECONDS * 1000
  ) {
    problems.push({
      variable: 'WORKER_RENEW_INTERVAL_MS',
      message: `must be shorter than WORKER_VISIBILITY_TIMEOUT_SECONDS (${settings.WORKER_VISIBILITY_TIMEOUT_SECONDS} s), or a running job becomes visible to other workers; unset it to renew every third of the timeout`,
    });
  }
  if (problems.length > 0 || !keyless || !settings) {
    throw new KeylessConfigError('KEYLESS_ERR_CONFIG', problems);
  }

  return {
    keyless,
    host: settings.HOST,
    port: settings.PORT,
    concurrency: settings.WORKER_CONCURRENCY,
    maxDequeue: settings.WORKER_MAX_DEQUEUE,
    visibilityTimeoutSeconds: settings.WORKER_VISIBILITY_TIMEOUT_SECONDS,
    renewIntervalMs:
      settings.WORKER_RENEW_INTERVAL_MS ??
      Math.round((settings.WORKER_VISIBILITY_TIMEOUT_SECONDS * 1000) / 3),
    retryBaseSeconds: settings.WORKER_RETRY_BASE_SECONDS,
    retryMaxSeconds: Math.max(
      settings.WORKER_RETRY_BASE_SECONDS,
      settings.WORKER_RETRY_MAX_SECONDS,
    ),
    pollIntervalMs: settings.WORKER_POLL_INTERVAL_MS,
    shutdownTimeoutMs: settings.WORKER_SHUTDOWN_TIMEOUT_MS,
    queueName: settings.WORKER_QUEUE,
    poisonQueueName: settings.WORKER_POISON_QUEUE,
    resultsContainer: settings.WORKER_RESULTS_CONTAINER,
    logLevel: settings.LOG_LEVEL,
  };
}
