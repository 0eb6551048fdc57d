import { KeylessConfigError } from '@keyless/auth';
import type { ConfigNeeds, ConfigProblem, KeylessConfig } from '@keyless/auth';
import { storageNamesFor } from '@keyless/registry';
import { z } from 'zod';
import { commonSettings, integer, loadServiceSettings, storageName } from '../config/settings.ts';
import type { Env } from '../config/settings.ts';

/** Everything a queue worker needs, read from the environment once at start-up. */
export interface WorkerConfig {
  /** The service's name (services.json): its logs' `service` and its default queue names. */
  name: string;
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

export interface WorkerConfigOptions {
  /** The service's name in services.json; its queues default to `<name>-jobs`, `<name>-poison`, `<name>-results`. */
  name: string;
  /** What the job handler needs beyond chat (an embedding deployment). */
  needs?: Pick<ConfigNeeds, 'embeddings'>;
}

function workerSettings(name: string) {
  const names = storageNamesFor(name);
  return {
    ...commonSettings,
    // The local stack and the image set PORT; the default only serves a worker started by hand.
    PORT: integer(0, 65535, 3001),
    WORKER_CONCURRENCY: integer(1, 256, 8),
    WORKER_MAX_DEQUEUE: integer(1, 1000, 5),
    // The Queue service allows at most 7 days of invisibility.
    WORKER_VISIBILITY_TIMEOUT_SECONDS: integer(1, 604_800, 60),
    WORKER_RENEW_INTERVAL_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds' })
      .int({ message: 'must be a whole number of milliseconds' })
      .min(100, { message: 'must be at least 100' })
      .optional(),
    WORKER_RETRY_BASE_SECONDS: integer(0, 604_800, 5),
    WORKER_RETRY_MAX_SECONDS: integer(0, 604_800, 300),
    WORKER_POLL_INTERVAL_MS: integer(10, 60_000, 1000),
    WORKER_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 25_000),
    WORKER_QUEUE: storageName.default(names.queue),
    WORKER_POISON_QUEUE: storageName.default(names.poisonQueue),
    WORKER_RESULTS_CONTAINER: storageName.default(names.resultsContainer),
  };
}

const fixes: Record<string, string> = {
  WORKER_CONCURRENCY: 'set it to the number of jobs to run at once (default 8)',
  WORKER_VISIBILITY_TIMEOUT_SECONDS: 'the Queue service accepts 1 s to 7 days (default 60)',
  WORKER_QUEUE:
    'unset it to use the worker’s own queue from services.json (<name>-jobs), which the infrastructure creates',
};

/**
 * Reads a worker's configuration: @keyless/auth's (endpoints, identity, both storage endpoints)
 * plus the worker kind's own `WORKER_*` settings. Every problem is reported at once, each naming
 * its variable.
 */
export function loadWorkerConfig(env: Env, options: WorkerConfigOptions): WorkerConfig {
  const { keyless, settings } = loadServiceSettings(env, workerSettings(options.name), {
    keyless: { ...options.needs, storage: true },
    fixes,
  });
  const problems: ConfigProblem[] = [];
  if (settings.WORKER_POISON_QUEUE === settings.WORKER_QUEUE) {
    problems.push({
      variable: 'WORKER_POISON_QUEUE',
      message: `is the same queue as WORKER_QUEUE (${settings.WORKER_QUEUE}); poison messages must go elsewhere (default ${storageNamesFor(options.name).poisonQueue})`,
    });
  }
  if (
    settings.WORKER_RENEW_INTERVAL_MS !== undefined &&
    settings.WORKER_RENEW_INTERVAL_MS >= settings.WORKER_VISIBILITY_TIMEOUT_SECONDS * 1000
  ) {
    problems.push({
      variable: 'WORKER_RENEW_INTERVAL_MS',
      message: `must be shorter than WORKER_VISIBILITY_TIMEOUT_SECONDS (${settings.WORKER_VISIBILITY_TIMEOUT_SECONDS} s), or a running job becomes visible to other workers; unset it to renew every third of the timeout`,
    });
  }
  if (problems.length > 0) throw new KeylessConfigError('KEYLESS_ERR_CONFIG', problems);

  return {
    name: options.name,
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
