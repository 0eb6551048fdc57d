import { afterEach, beforeEach } from 'vitest';
import { startTelemetry } from '../src/index.ts';
import type { Telemetry } from '../src/index.ts';
import { startOtlpReceiver } from '../src/receiver/index.ts';
import type { OtlpReceiver } from '../src/receiver/index.ts';
import { receiverPaths, settingsFor } from './helpers.ts';

/** The receiver and the telemetry exporting to it, fresh for the running test. */
export interface TelemetryPerTest {
  readonly receiver: OtlpReceiver;
  readonly telemetry: Telemetry;
}

/**
 * Before each test, starts an in-process OTLP receiver and the service's telemetry exporting to
 * it; after it, shuts both down. Paths in `ignoreIncomingPaths` (besides the receiver's own) get
 * no server spans.
 */
export function telemetryPerTest(
  serviceName: string,
  ignoreIncomingPaths: string[] = [],
): TelemetryPerTest {
  let current: { receiver: OtlpReceiver; telemetry: Telemetry } | undefined;
  beforeEach(async () => {
    const receiver = await startOtlpReceiver();
    const telemetry = startTelemetry({
      serviceName,
      settings: settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
      ignoreIncomingPaths: [...receiverPaths, ...ignoreIncomingPaths],
    });
    current = { receiver, telemetry };
  });
  afterEach(async () => {
    await current?.telemetry.shutdown();
    await current?.receiver.close();
    current = undefined;
  });
  const running = () => {
    if (current === undefined)
      throw new Error(
        'the receiver and telemetry of telemetryPerTest exist only while a test runs',
      );
    return current;
  };
  return {
    get receiver() {
      return running().receiver;
    },
    get telemetry() {
      return running().telemetry;
    },
  };
}
