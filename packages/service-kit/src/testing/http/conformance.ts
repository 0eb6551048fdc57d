/**
 * The http kind's conformance suite. The sample api and every generated api call it from their
 * own tests, so a generated service is green because it passes the very same checks.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { chatContract } from './chat.ts';
import { emulatorControls } from './emulator-controls.ts';
import { embeddingsContract } from './embeddings.ts';
import { hostileRequests } from './hostile.ts';
import { drainOnShutdown, idleShutdown, startUpFailures } from './lifecycle.ts';
import { logLines } from './logs.ts';
import { probes, readinessFailures } from './probes.ts';
import { problemResponses } from './problems.ts';
import { datedApi, responsesContract } from './responses.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { RecordingProxy } from './recording-proxy.ts';
import { spawnService } from './service-process.ts';
import type { ServiceProcess } from './service-process.ts';
import type { SuiteState } from './suite-state.ts';
import { telemetryChecks } from './telemetry.ts';
import { refusedIdentity, upstreamFailures } from './upstream.ts';

/** A running local stack, as the caller started it (the kit does not import the stack itself). */
export interface ConformanceStack {
  /** What Azure Container Apps would give the service as its identity (`envFor('id-<name>')`). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface HttpConformanceOptions {
  /** The service's name, as in services.json; its log lines carry it as `service`. */
  name: string;
  /**
   * Absolute path of the entry point, run as a child process: the service's bundle from
   * `bundleForTests` (@keyless/build), as its image runs it, or its `src/main.ts`.
   */
  main: string;
  /** Starts the local stack for this suite. */
  stack: () => Promise<ConformanceStack>;
  /**
   * How many generated hostile requests to send, at least 200, split evenly across the routes that
   * take a body (every `POST`, `PUT` or `PATCH` route the service's 404 problem lists), with at
   * least 50 for each.
   */
  hostileRuns?: number;
}

export function describeHttpServiceConformance(options: HttpConformanceOptions): void {
  const runs = Math.max(200, options.hostileRuns ?? 300);
  let stack: ConformanceStack | undefined;
  let proxy: RecordingProxy | undefined;
  const started: ServiceProcess[] = [];
  let state: SuiteState | undefined;

  describe(`${options.name} conforms to the http service kind`, { timeout: 60_000 }, () => {
    beforeAll(async () => {
      stack = await options.stack();
      const endpoint = stack.env.AZURE_OPENAI_ENDPOINT;
      if (!endpoint)
        throw new Error('The stack gave no AZURE_OPENAI_ENDPOINT; pass envFor(<identity>) as env.');
      proxy = await startRecordingProxy(endpoint);
      const env = { ...stack.env, AZURE_OPENAI_ENDPOINT: proxy.url };
      const [service, strict] = await Promise.all([
        spawnService(options.main, { ...env, API_BODY_LIMIT: '64kb', LOG_LEVEL: 'trace' }),
        spawnService(options.main, {
          ...env,
          AZURE_OPENAI_MAX_RETRIES: '0',
          AZURE_OPENAI_TIMEOUT_MS: '1000',
          AZURE_OPENAI_EMBEDDING_DEPLOYMENT: '',
        }),
      ]);
      started.push(service, strict);
      state = {
        service,
        strict,
        env,
        proxy,
        controls: emulatorControls(endpoint),
        main: options.main,
        name: options.name,
      };
    }, 120_000);

    afterAll(async () => {
      for (const service of started) await service.stop();
      await proxy?.close();
      await stack?.stop();
    });

    const get = (): SuiteState => {
      if (!state)
        throw new Error('The conformance suite did not start; see the error in beforeAll.');
      return state;
    };
    chatContract(get);
    responsesContract(get);
    embeddingsContract(get);
    problemResponses(get);
    upstreamFailures(get);
    probes(get);
    logLines(get);
    hostileRequests(get, runs);
    // Checks that start a service process of their own and leave the emulator's controls alone
    // run side by side: most of their time is each process starting up, or a drain waiting.
    describe.concurrent('each in a service process of its own', () => {
      drainOnShutdown(get);
      readinessFailures(get);
      startUpFailures(get);
      idleShutdown(get);
      datedApi(get);
      refusedIdentity(get);
      telemetryChecks(get);
    });
  });
}
