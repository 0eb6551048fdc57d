/**
 * An http service from its name and routes: configuration, logger, keyless clients, readiness,
 * the app, the server and its graceful shutdown. `startHttpService` is what a main.ts calls.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeylessClients, isKeylessError } from '@keyless/auth';
import type { KeylessClients } from '@keyless/auth';
import { createLogger, stdoutDestination } from '@keyless/logging';
import type { DestinationStream, Logger } from '@keyless/logging';
import { readTelemetrySettings, startTelemetry, TelemetryConfigError } from '@keyless/telemetry';
import type { Telemetry, TelemetrySettings } from '@keyless/telemetry';
import type { Express } from 'express';
import { createHttpApp } from './app.ts';
import { loadHttpServiceConfig } from './config.ts';
import type { HttpServiceConfig } from './config.ts';
import type { HttpServiceClients, RouteFactory } from './context.ts';
import { createReadiness, modelReadiness } from './readiness.ts';
import { probePaths } from './routes/health.ts';
import { createShutdown } from './shutdown.ts';
import type { Shutdown } from './shutdown.ts';
import type { Env } from '../config/settings.ts';
import { persistCompileCache } from '../compile-cache.ts';
import { flushTelemetry } from '../telemetry.ts';

export interface HttpServiceOptions {
  /** The service's name, as in services.json: `service` on every log line. */
  name: string;
  routes: readonly RouteFactory[];
  config: HttpServiceConfig;
  /** Where log lines go; stdout (asynchronous) unless given. */
  logDestination?: DestinationStream;
  /** The keyless clients; built from `config` by @keyless/auth unless given. */
  clients?: KeylessClients;
  /** Replaces the OpenAI client (a test may observe the calls); the credential stays auth's. */
  openai?: HttpServiceClients['openai'];
}

export interface HttpService {
  app: Express;
  /** OpenTelemetry as `startHttpService` started it; off (and a no-op) in `createHttpService`. */
  telemetry?: Telemetry;
  server: Server;
  logger: Logger;
  config: HttpServiceConfig;
  shutdown: Shutdown;
  /** Listens on the configured host and port; resolves with the bound address. */
  listen(): Promise<AddressInfo>;
}

export function createHttpService(options: HttpServiceOptions): HttpService {
  const { name, config } = options;
  const logger = createLogger(
    { service: name, level: config.logLevel },
    options.logDestination ?? stdoutDestination(),
  );
  const clients = options.clients ?? createKeylessClients(config.keyless);
  const readiness = createReadiness(
    modelReadiness(
      (timeoutMs) => clients.checkReadiness(timeoutMs),
      config.keyless.openai.endpoint,
    ),
    { timeoutMs: config.readinessTimeoutMs, cacheMs: config.readinessCacheMs },
  );
  const explainError = (error: unknown) => clients.explainError(error);
  // The app asks whether shutdown began; the shutdown needs the server the app runs in.
  const lifecycle: { shutdown?: Shutdown } = {};
  const app = createHttpApp({
    context: {
      name,
      config,
      clients: { openai: options.openai ?? clients.openai, explainError },
      logger,
      upstream: { timeoutMs: config.keyless.openai.timeoutMs, explain: explainError },
    },
    routes: options.routes,
    readiness,
    isDraining: () => lifecycle.shutdown?.isDraining() ?? false,
  });
  const server = createServer(app);
  const shutdown = createShutdown(server, { timeoutMs: config.shutdownTimeoutMs, logger });
  lifecycle.shutdown = shutdown;
  return {
    app,
    server,
    logger,
    config,
    shutdown,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          logger.info(
            {
              port: address.port,
              host: config.host,
              credential: clients.credentialSource,
              deployment: config.keyless.openai.chatDeployment,
            },
            'listening',
          );
          resolve(address);
        });
      }),
  };
}

export interface StartHttpServiceOptions {
  name: string;
  routes: readonly RouteFactory[];
  /** The process environment, read once here. */
  env: Env;
  /** The port when PORT is unset: the service's port in services.json. */
  port?: number;
}

/**
 * A service's whole main.ts: reads the configuration (exit 1 listing every problem), starts
 * OpenTelemetry with the service's own credential before anything else runs, listens, and drains
 * on SIGTERM/SIGINT (exit 0 once in-flight requests finished or the deadline passed, after the
 * last spans were sent).
 */
export function startHttpService(options: StartHttpServiceOptions): HttpService {
  let config: HttpServiceConfig;
  let telemetrySettings: TelemetrySettings;
  try {
    config = loadHttpServiceConfig(
      options.env,
      options.port === undefined ? {} : { port: options.port },
    );
    telemetrySettings = readTelemetrySettings(options.env);
  } catch (error) {
    // Before the logger exists: one readable message, the list of problems and fixes.
    console.error(
      isKeylessError(error) || error instanceof TelemetryConfigError ? error.message : error,
    );
    process.exit(1);
  }
  const clients = createKeylessClients(config.keyless);
  const warnings: { logger?: Logger } = {};
  const telemetry = startTelemetry({
    serviceName: options.name,
    settings: telemetrySettings,
    credential: clients.credential,
    ignoreIncomingPaths: [...probePaths],
    warn: (message) => warnings.logger?.warn({ telemetry: true }, message),
  });
  const service = createHttpService({
    name: options.name,
    routes: options.routes,
    config,
    clients,
  });
  const { logger, shutdown } = service;
  warnings.logger = logger;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown.drain(signal).then(async (code) => {
        await flushTelemetry(telemetry);
        // Flush buffered log lines first, or the last ones are lost (or land out of order).
        logger.flush(() => process.exit(code));
      });
    });
  }
  service.listen().then(persistCompileCache, (error: unknown) => {
    logger.fatal({ err: error }, 'the server failed to listen');
    logger.flush(() => process.exit(1));
  });
  return { ...service, telemetry };
}
