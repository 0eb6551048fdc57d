/**
 * How long a failed job stays invisible before its next attempt: exponential in the number of
 * times it has been dequeued, capped, with jitter so a burst of failures does not return as a
 * burst. A `Retry-After` from the model endpoint is honoured as a floor.
 */
export function retryDelaySeconds(options: {
  dequeueCount: number;
  baseSeconds: number;
  maxSeconds: number;
  retryAfterSeconds?: number;
  random?: () => number;
}): number {
  const { dequeueCount, baseSeconds, maxSeconds, retryAfterSeconds = 0 } = options;
  const random = options.random ?? Math.random;
  const exponential = baseSeconds * 2 ** Math.max(0, dequeueCount - 1);
  const capped = Math.min(maxSeconds, exponential);
  // "Equal jitter": between half and all of the delay, never below the server's Retry-After.
  const jittered = capped / 2 + (capped / 2) * random();
  return Math.min(maxSeconds, Math.max(Math.ceil(retryAfterSeconds), Math.round(jittered)));
}
