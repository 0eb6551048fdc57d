/**
 * Where telemetry goes: OTLP/HTTP (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` (the local stack's
 * receiver) and/or Application Insights, authenticated with the service's own Entra token.
 *
 * Application Insights takes `@azure/monitor-opentelemetry-exporter` with its `credential` option
 * rather than the `@azure/monitor-opentelemetry` distro: the distro brings its own SDK setup,
 * logs, live metrics and a dozen database and logger instrumentations installed by module-load
 * hooks (which a bundle does not trigger), where the exporter is only the keyless ingestion.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  AzureMonitorMetricExporter,
  AzureMonitorTraceExporter,
} from '@azure/monitor-opentelemetry-exporter';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { TelemetrySettings } from './config.ts';
import { TelemetryConfigError } from './errors.ts';

export interface Exporters {
  spans: SpanExporter[];
  metrics: PushMetricExporter[];
  /** Where telemetry goes, for the service's start-up log line. */
  destinations: string[];
}

export function createExporters(
  settings: TelemetrySettings,
  credential: TokenCredential | undefined,
): Exporters {
  const exporters: Exporters = { spans: [], metrics: [], destinations: [] };
  if (settings.otlpEndpoint) {
    const base = settings.otlpEndpoint.replace(/\/+$/, '');
    exporters.spans.push(new OTLPTraceExporter({ url: `${base}/v1/traces` }));
    exporters.metrics.push(new OTLPMetricExporter({ url: `${base}/v1/metrics` }));
    exporters.destinations.push(`OTLP ${base}`);
  }
  if (settings.connectionString) {
    if (!credential) {
      throw new TelemetryConfigError('KEYLESS_ERR_TELEMETRY_NO_CREDENTIAL', [
        {
          variable: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
          problem:
            'is set, but startTelemetry got no credential; Application Insights with local authentication disabled refuses telemetry without an Entra token.',
          fix: "Pass the service's credential from @keyless/auth (createCredential) as `credential`.",
        },
      ]);
    }
    const options = {
      connectionString: settings.connectionString,
      credential,
      // A container's disk is not the place to queue telemetry for later.
      disableOfflineStorage: true,
    };
    exporters.spans.push(new AzureMonitorTraceExporter(options));
    exporters.metrics.push(new AzureMonitorMetricExporter(options));
    exporters.destinations.push('Application Insights (Entra ID)');
  }
  return exporters;
}
