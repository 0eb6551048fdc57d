/** What both kinds do with `@keyless/telemetry` at the end of a process's life. */
import type { Telemetry } from '@keyless/telemetry';

/** Sends the last spans, within a bound: an unreachable collector must not hold up the exit. */
export async function flushTelemetry(telemetry: Telemetry, timeoutMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    telemetry.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
