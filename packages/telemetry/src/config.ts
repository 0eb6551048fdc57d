/**
 * Telemetry settings, read from the standard OpenTelemetry and Application Insights variables so
 * that what the OpenTelemetry documentation says about them holds here too.
 */
import { TelemetryConfigError } from './errors.ts';
import type { TelemetryConfigProblem } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TelemetrySettings {
  /** `OTEL_SDK_DISABLED=true`: nothing is started, every helper is a no-op. */
  disabled: boolean;
  /** `OTEL_SERVICE_NAME`, over the name the service passes (the local stack sets it). */
  serviceName?: string;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the OTLP/HTTP base URL (`/v1/traces`, `/v1/metrics` are added). */
  otlpEndpoint?: string;
  /** `APPLICATIONINSIGHTS_CONNECTION_STRING`: where Azure Monitor ingests; authenticated with an Entra token. */
  connectionString?: string;
  /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: prompts and completions go on model spans. */
  captureMessageContent: boolean;
  /** `OTEL_METRIC_EXPORT_INTERVAL` in milliseconds (OpenTelemetry's default: 60000). */
  metricExportIntervalMs: number;
}

const booleans: Record<string, boolean> = { true: true, false: false };

/** Reads the settings from `env`; throws one TelemetryConfigError naming every bad variable. */
export function readTelemetrySettings(env: Env): TelemetrySettings {
  const problems: TelemetryConfigProblem[] = [];
  const value = (name: string): string | undefined => {
    // Empty strings count as unset, as the OpenTelemetry specification says.
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };
  const flag = (name: string): boolean => {
    const raw = value(name);
    if (raw === undefined) return false;
    const parsed = booleans[raw.toLowerCase()];
    if (parsed === undefined) {
      problems.push({
        variable: name,
        problem: `"${raw}" is not a boolean.`,
        fix: `Set ${name}=true or ${name}=false, or unset it.`,
      });
      return false;
    }
    return parsed;
  };

  const otlpEndpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlpEndpoint !== undefined && !URL.canParse(otlpEndpoint)) {
    problems.push({
      variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      problem: `"${otlpEndpoint}" is not a URL.`,
      fix: 'Set it to the OTLP/HTTP base URL, for example http://127.0.0.1:4318, or unset it.',
    });
  }
  const connectionString = value('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (connectionString !== undefined && !/IngestionEndpoint=/i.test(connectionString)) {
    problems.push({
      variable: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      problem: 'has no IngestionEndpoint.',
      fix: "Copy the whole connection string of the Application Insights resource (the infra's output), or unset it.",
    });
  }
  const interval = value('OTEL_METRIC_EXPORT_INTERVAL');
  const metricExportIntervalMs = interval === undefined ? 60_000 : Number(interval);
  if (!Number.isInteger(metricExportIntervalMs) || metricExportIntervalMs < 100) {
    problems.push({
      variable: 'OTEL_METRIC_EXPORT_INTERVAL',
      problem: `"${interval}" is not a whole number of milliseconds of at least 100.`,
      fix: 'Set it to, for example, 60000, or unset it.',
    });
  }

  const settings: TelemetrySettings = {
    disabled: flag('OTEL_SDK_DISABLED'),
    serviceName: value('OTEL_SERVICE_NAME'),
    otlpEndpoint,
    connectionString,
    captureMessageContent: flag('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'),
    metricExportIntervalMs,
  };
  if (problems.length > 0) throw new TelemetryConfigError('KEYLESS_ERR_TELEMETRY_CONFIG', problems);
  return settings;
}
