import type { KeylessClients } from '@keyless/auth';
import type { StorageClients } from '@keyless/auth/storage';
import type { Logger } from '@keyless/logging';
import type { WorkerConfig } from './config.ts';
import type { JobHandler } from './handler.ts';
import { createWorkerLoop } from './loop.ts';
import type { WorkerLoop } from './loop.ts';
import { createProcessor } from './processor.ts';
import { ensureResources } from './resources.ts';
import { createResultStore } from './results.ts';

export interface Worker extends WorkerLoop {
  /** Creates the queues and the results container if missing (see resources.ts). */
  prepare(): Promise<void>;
}

/**
 * Builds a worker from its configuration, @keyless/auth's clients and its job handler. Nothing
 * here reads the environment.
 */
export function createWorker<Job extends { id: string }, Result extends object>(
  config: WorkerConfig,
  clients: Pick<KeylessClients, 'openai' | 'explainError'> & StorageClients,
  logger: Logger,
  handler: JobHandler<Job, Result>,
): Worker {
  const queue = clients.queueService.getQueueClient(config.queueName);
  const poisonQueue = clients.queueService.getQueueClient(config.poisonQueueName);
  const container = clients.blobService.getContainerClient(config.resultsContainer);

  const processMessage = createProcessor({
    handler,
    keyless: config.keyless,
    explainError: clients.explainError,
    queue,
    poisonQueue,
    results: createResultStore(container),
    openai: clients.openai,
    logger,
    settings: {
      maxDequeue: config.maxDequeue,
      visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
      retryBaseSeconds: config.retryBaseSeconds,
      retryMaxSeconds: config.retryMaxSeconds,
      renewIntervalMs: config.renewIntervalMs,
    },
  });
  const loop = createWorkerLoop({
    queue,
    processMessage,
    logger,
    concurrency: config.concurrency,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    pollIntervalMs: config.pollIntervalMs,
  });
  return {
    ...loop,
    prepare: () => ensureResources({ queue, poisonQueue, container }, logger),
  };
}
