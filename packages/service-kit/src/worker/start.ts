import { createKeylessClients, isKeylessError } from '@keyless/auth';
import { createStorageClients } from '@keyless/auth/storage';
import { createLogger } from '@keyless/logging';
import { readTelemetrySettings, startTelemetry, TelemetryConfigError } from '@keyless/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '../config/settings.ts';
import { loadWorkerConfig } from './config.ts';
import type { JobHandler } from './handler.ts';
import { persistCompileCache } from '../compile-cache.ts';
import { flushTelemetry } from '../telemetry.ts';
import { startHealthServer } from './health.ts';
import { onShutdownSignal } from './shutdown.ts';
import { createWorker } from './worker.ts';

export interface StartWorkerOptions<Job extends { id: string }, Result extends object> {
  /** The service's name in services.json. */
  name: string;
  /** What the worker does with a job (the kit's `chatJobHandler`, or the worker's own). */
  handler: JobHandler<Job, Result>;
  /** The process's environment (`process.env`), read once here. */
  env: Env;
}

/**
 * A worker's whole life as a process: configuration, keyless clients, the health probes, the
 * queues and container prepared (retried while storage is unreachable), the receive loop, and a
 * drain on SIGTERM/SIGINT that exits 0. A bad configuration is printed for a human and exits 1.
 */
export async function startWorker<Job extends { id: string }, Result extends object>(
  options: StartWorkerOptions<Job, Result>,
): Promise<void> {
  let config;
  let telemetrySettings;
  try {
    config = loadWorkerConfig(options.env, {
      name: options.name,
      ...(options.handler.needs && { needs: options.handler.needs }),
    });
    telemetrySettings = readTelemetrySettings(options.env);
  } catch (error) {
    // Start-up configuration errors are for a human: print them plainly, not as a JSON log line.
    console.error(
      isKeylessError(error) || error instanceof TelemetryConfigError ? error.message : error,
    );
    process.exit(1);
  }
  const shutdownTimeoutMs = config.shutdownTimeoutMs;

  const logger = createLogger({ service: options.name, level: config.logLevel });
  const clients = createKeylessClients(config.keyless);
  // Before any queue or model call, so each job's span continues the trace its message carries.
  const telemetry = startTelemetry({
    serviceName: options.name,
    settings: telemetrySettings,
    credential: clients.credential,
    ignoreIncomingPaths: ['/healthz', '/readyz'],
    warn: (message) => logger.warn({ telemetry: true }, message),
  });
  const worker = createWorker(
    config,
    { ...clients, ...createStorageClients(clients) },
    logger,
    options.handler,
  );
  const health = await startHealthServer({
    host: config.host,
    port: config.port,
    notReadyReason: () => worker.notReadyReason(),
  });
  logger.info(
    {
      port: health.port,
      queue: config.queueName,
      poisonQueue: config.poisonQueueName,
      resultsContainer: config.resultsContainer,
      credential: clients.credentialSource,
    },
    'health endpoint listening',
  );
  persistCompileCache();

  const stopped = new AbortController();
  onShutdownSignal(async (signal) => {
    logger.info({ signal }, 'shutdown requested');
    stopped.abort();
    const { drained, handedBack } = await worker.stop(shutdownTimeoutMs);
    await health.close();
    await flushTelemetry(telemetry);
    logger.info({ drained, handedBack }, 'bye');
    logger.flush();
    return 0;
  });

  // Storage may not be reachable yet (the identity's role still propagating, the stack starting):
  // keep trying, unready, rather than crash-loop.
  for (let attempt = 1; !stopped.signal.aborted; attempt += 1) {
    try {
      await worker.prepare();
      break;
    } catch (error) {
      const explained = clients.explainError(error);
      logger.error(
        { err: error, attempt, fix: explained?.fix },
        'could not prepare the queues and container; retrying',
      );
      await sleep(Math.min(30_000, 500 * 2 ** attempt), undefined, {
        signal: stopped.signal,
      }).catch(() => undefined);
    }
  }
  if (!stopped.signal.aborted) worker.start();
}
