/** Entry point: configuration from the environment, the worker, its probes, and shutdown. */
import { createKeylessClients, isKeylessError } from '@keyless/auth';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadWorkerConfig } from './config.ts';
import { startHealthServer } from './health.ts';
import { createLogger } from '@keyless/logging';
import { onShutdownSignal } from './shutdown.ts';
import { createWorker } from './worker.ts';

let config;
try {
  config = loadWorkerConfig(process.env);
} catch (error) {
  // Start-up configuration errors are for a human: print them plainly, not as a JSON log line.
  console.error(isKeylessError(error) ? error.message : error);
  process.exit(1);
}

const logger = createLogger({ service: 'worker', level: config.logLevel });
const clients = createKeylessClients(config.keyless);
const worker = createWorker(config, clients, logger);
const health = await startHealthServer({
  host: config.host,
  port: config.port,
  notReadyReason: () => worker.notReadyReason(),
});
logger.info(
  { port: health.port, queue: config.queueName, credential: clients.credentialSource },
  'health endpoint listening',
);

const stopped = new AbortController();
onShutdownSignal(async (signal) => {
  logger.info({ signal }, 'shutdown requested');
  stopped.abort();
  const { drained, handedBack } = await worker.stop(config.shutdownTimeoutMs);
  await health.close();
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
    await sleep(Math.min(30_000, 500 * 2 ** attempt), undefined, { signal: stopped.signal }).catch(
      () => undefined,
    );
  }
}
if (!stopped.signal.aborted) worker.start();
