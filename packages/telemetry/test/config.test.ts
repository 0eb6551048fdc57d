import { describe, expect, it } from 'vitest';
import { readTelemetrySettings, startTelemetry, TelemetryConfigError } from '../src/index.ts';

describe('readTelemetrySettings', () => {
  it('reads the standard variables, with content capture and the SDK on by default', () => {
    expect(
      readTelemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SERVICE_NAME: 'api',
      }),
    ).toEqual({
      disabled: false,
      serviceName: 'api',
      otlpEndpoint: 'http://127.0.0.1:4318',
      connectionString: undefined,
      captureMessageContent: false,
      metricExportIntervalMs: 60_000,
    });
  });

  it('treats empty strings as unset', () => {
    expect(
      readTelemetrySettings({ OTEL_SDK_DISABLED: '', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }),
    ).toMatchObject({
      disabled: false,
      otlpEndpoint: undefined,
    });
  });

  it('names every bad variable at once, each with its fix', () => {
    let caught: unknown;
    try {
      readTelemetrySettings({
        OTEL_SDK_DISABLED: 'yes',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost 4318',
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc',
        OTEL_METRIC_EXPORT_INTERVAL: 'soon',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TelemetryConfigError);
    const error = caught as TelemetryConfigError;
    expect(error.code).toBe('KEYLESS_ERR_TELEMETRY_CONFIG');
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'OTEL_METRIC_EXPORT_INTERVAL',
      'OTEL_SDK_DISABLED',
    ]);
    expect(error.problems[3]!.fix).toBe(
      'Set OTEL_SDK_DISABLED=true or OTEL_SDK_DISABLED=false, or unset it.',
    );
  });
});

describe('startTelemetry', () => {
  it('refuses Application Insights without a credential, since ingestion needs an Entra token', () => {
    const settings = readTelemetrySettings({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${crypto.randomUUID()};IngestionEndpoint=http://127.0.0.1:9/`,
    });
    expect(() => startTelemetry({ serviceName: 'api', settings })).toThrow(
      expect.objectContaining({
        code: 'KEYLESS_ERR_TELEMETRY_NO_CREDENTIAL',
        fix: expect.stringContaining('@keyless/auth'),
      }),
    );
  });
});
