/**
 * The metric instruments the helpers record into, created once per started SDK. Without a
 * started SDK they come from the API's no-op meter, so every helper works with telemetry off.
 */
import { metrics } from '@opentelemetry/api';
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { genAiMetrics } from './gen-ai-conventions.ts';

export interface Instruments {
  modelCallDuration: Histogram;
  modelTokenUsage: Histogram;
  jobDuration: Histogram;
  jobs: Counter;
}

export const instrumentationScope = '@keyless/telemetry';

export function createInstruments(meter: Meter): Instruments {
  return {
    modelCallDuration: meter.createHistogram(genAiMetrics.operationDuration, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
        ],
      },
    }),
    modelTokenUsage: meter.createHistogram(genAiMetrics.tokenUsage, {
      description: 'Measures number of input and output tokens used.',
      unit: '{token}',
      advice: {
        explicitBucketBoundaries: [
          1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216,
        ],
      },
    }),
    jobDuration: meter.createHistogram('messaging.process.duration', {
      description: 'Duration of processing one queue message (one job).',
      unit: 's',
    }),
    jobs: meter.createCounter('keyless.worker.jobs', {
      description:
        'Jobs handled by a worker, by outcome: processed, failed (will be retried) or poisoned.',
      unit: '{job}',
    }),
  };
}

interface TelemetryState {
  instruments: Instruments;
  captureMessageContent: boolean;
}

const noop: TelemetryState = {
  instruments: createInstruments(metrics.getMeter(instrumentationScope)),
  captureMessageContent: false,
};

let current: TelemetryState = noop;

/** What the helpers record into: the started SDK's instruments and settings, or no-ops. */
export function telemetryState(): TelemetryState {
  return current;
}

export function setTelemetryState(state: TelemetryState | undefined): void {
  current = state ?? noop;
}
