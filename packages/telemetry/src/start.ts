/**
 * Starts OpenTelemetry's Node SDK (tracer and meter providers, W3C propagation, HTTP and Azure
 * SDK spans) before the service does its work, or nothing at all with `OTEL_SDK_DISABLED=true`.
 */
import type { TokenCredential } from '@azure/core-auth';
import { context, diag, DiagLogLevel, metrics, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { instrumentAzureSdk } from './azure-sdk-tracing.ts';
import type { TelemetrySettings } from './config.ts';
import { createExporters } from './exporters.ts';
import { instrumentHttp } from './http-instrumentation.ts';
import { createInstruments, instrumentationScope, setTelemetryState } from './instruments.ts';

export interface StartTelemetryOptions {
  /** The service's name (`api`, `worker`, a generated service's); `OTEL_SERVICE_NAME` wins. */
  serviceName: string;
  /** From `readTelemetrySettings(process.env)`. */
  settings: TelemetrySettings;
  /** The service's own credential (`@keyless/auth`); needed when Application Insights is set. */
  credential?: TokenCredential;
  /** Paths that get no server span, such as health probes. */
  ignoreIncomingPaths?: readonly string[];
  /** Where the SDK's own warnings (a failed export, say) go; silent without it. */
  warn?: (message: string) => void;
}

export interface Telemetry {
  /** False when `OTEL_SDK_DISABLED=true`: nothing was started. */
  readonly enabled: boolean;
  readonly serviceName: string;
  /** Where telemetry goes (`OTLP http://...`, `Application Insights (Entra ID)`); empty: nowhere. */
  readonly destinations: readonly string[];
  /** Sends everything recorded so far. */
  flush(): Promise<void>;
  /** Flushes, stops the SDK and removes the HTTP patches. */
  shutdown(): Promise<void>;
}

let running: Telemetry | undefined;

export function startTelemetry(options: StartTelemetryOptions): Telemetry {
  const { settings } = options;
  const serviceName = settings.serviceName ?? options.serviceName;
  if (settings.disabled) {
    return {
      enabled: false,
      serviceName,
      destinations: [],
      flush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
  }
  if (running) {
    throw new Error(
      'Telemetry is already running in this process; call shutdown() on the first before starting it again.',
    );
  }
  if (options.warn) {
    const warn = options.warn;
    diag.setLogger(
      {
        error: (message) => warn(message),
        warn: (message) => warn(message),
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  }

  const exporters = createExporters(settings, options.credential);
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: exporters.spans.map((exporter) => new BatchSpanProcessor(exporter)),
  });
  tracerProvider.register({ propagator: new W3CTraceContextPropagator() });
  const meterProvider = new MeterProvider({
    resource,
    readers: exporters.metrics.map(
      (exporter) =>
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: settings.metricExportIntervalMs,
        }),
    ),
  });
  metrics.setGlobalMeterProvider(meterProvider);
  const removeHttpPatches = instrumentHttp({
    tracerProvider,
    meterProvider,
    ignoreIncomingPaths: options.ignoreIncomingPaths ?? [],
  });
  instrumentAzureSdk();
  setTelemetryState({
    instruments: createInstruments(meterProvider.getMeter(instrumentationScope)),
    captureMessageContent: settings.captureMessageContent,
  });

  const flush = async (): Promise<void> => {
    await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
  };
  const telemetry: Telemetry = {
    enabled: true,
    serviceName,
    destinations: exporters.destinations,
    flush,
    async shutdown() {
      if (running !== telemetry) return;
      running = undefined;
      removeHttpPatches();
      setTelemetryState(undefined);
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    },
  };
  running = telemetry;
  return telemetry;
}
