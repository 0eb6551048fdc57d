/**
 * The stack's telemetry receiver: OTLP/HTTP (JSON) on its own port (`LOCAL_AZURE_OTLP_PORT`,
 * default 4318, OTLP's own), spans kept in memory and appended to `.local-azure/traces.jsonl`
 * for `npm run traces`. Services get `OTEL_EXPORTER_OTLP_ENDPOINT` pointing here.
 */
import { startOtlpReceiver } from '@keyless/telemetry/receiver';
import type { ReceivedSpan } from '@keyless/telemetry/receiver';
import { PortInUseError } from '../errors.ts';
import { appendSpans, trimTraceFile } from './trace-file.ts';

export interface TelemetryReceiverOptions {
  port: number;
  /** Append spans here; in memory only without it (tests). */
  file?: string;
  portEnvVar?: string;
}

export interface TelemetryReceiver {
  /** The OTLP/HTTP base URL. */
  readonly url: string;
  readonly file?: string;
  readonly spans: readonly ReceivedSpan[];
  /** What a process of the stack needs to send its telemetry here. */
  env(serviceName?: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startTelemetryReceiver(
  options: TelemetryReceiverOptions,
): Promise<TelemetryReceiver> {
  const file = options.file;
  if (file) trimTraceFile(file);
  const receiver = await startOtlpReceiver({
    port: options.port,
    onSpans: file ? (spans) => appendSpans(file, spans) : undefined,
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new PortInUseError(options.port, 'telemetry receiver', options.portEnvVar, {
          cause: error,
        })
      : error;
  });
  return {
    url: receiver.url,
    file,
    spans: receiver.spans,
    env: (serviceName) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      ...(serviceName ? { OTEL_SERVICE_NAME: serviceName } : {}),
    }),
    close: () => receiver.close(),
  };
}
