/**
 * Entry point: reads the environment once, builds the clients and the app, listens, and drains
 * on SIGTERM/SIGINT. `node src/main.ts` locally, `node dist/main.js` in the container.
 */
import { createServer } from 'node:http';
import { createKeylessClients, isKeylessError } from '@keyless/auth';
import { createApp } from './app.ts';
import { loadApiConfig } from './config.ts';
import { createLogger, stdoutDestination } from '@keyless/logging';
import { createReadiness, modelReadiness } from './readiness.ts';
import { createShutdown } from './shutdown.ts';
import type { Shutdown } from './shutdown.ts';

function start(): void {
  let config;
  try {
    config = loadApiConfig(process.env);
  } catch (error) {
    // Before the logger exists: one readable message, the list of problems and fixes.
    console.error(isKeylessError(error) ? error.message : error);
    process.exit(1);
  }
  const logger = createLogger({ service: 'api', level: config.logLevel }, stdoutDestination());
  const clients = createKeylessClients(config.keyless);
  const readiness = createReadiness(
    modelReadiness(
      (timeoutMs) => clients.checkReadiness(timeoutMs),
      config.keyless.openai.endpoint,
    ),
    { timeoutMs: config.readinessTimeoutMs, cacheMs: config.readinessCacheMs },
  );
  // The app asks whether shutdown began; the shutdown needs the server the app runs in.
  const lifecycle: { shutdown?: Shutdown } = {};
  const app = createApp({
    config,
    openai: clients.openai,
    readiness,
    explainError: (error) => clients.explainError(error),
    logger,
    isDraining: () => lifecycle.shutdown?.isDraining() ?? false,
  });
  const server = createServer(app);
  const shutdown = createShutdown(server, { timeoutMs: config.shutdownTimeoutMs, logger });
  lifecycle.shutdown = shutdown;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown.drain(signal).then((code) => {
        // Flush buffered log lines first, or the last ones are lost (or land out of order).
        logger.flush(() => process.exit(code));
      });
    });
  }
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'the server failed');
    logger.flush(() => process.exit(1));
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    logger.info(
      {
        port: typeof address === 'object' && address ? address.port : config.port,
        credential: clients.credentialSource,
        deployment: config.keyless.openai.chatDeployment,
      },
      'api listening',
    );
  });
}

start();
