/** What the streaming routes share: the idle timer on a model stream, and ending with a problem. */
import type { Logger } from '@keyless/logging';
import type { Response } from 'express';
import { sendEvent } from './sse.ts';
import { upstreamProblem } from './upstream-errors.ts';
import type { UpstreamContext } from './upstream-errors.ts';

export interface IdleTimeout {
  reset(): void;
  clear(): void;
}

/** Calls `onIdle` once no `reset()` came for `ms`; the SDK's own timeout ends with the headers. */
export function idleTimeout(ms: number, onIdle: () => void): IdleTimeout {
  let timer = setTimeout(onIdle, ms);
  return {
    reset() {
      clearTimeout(timer);
      timer = setTimeout(onIdle, ms);
    },
    clear() {
      clearTimeout(timer);
    },
  };
}

/** A stream that already sent its headers reports a failure as an `error` event, then ends. */
export async function endStreamWithProblem(
  res: Response,
  failure: unknown,
  upstream: UpstreamContext,
  log: Logger,
): Promise<void> {
  const problemError = upstreamProblem(failure, upstream);
  log.warn(
    {
      problem: problemError.problem.type,
      status: problemError.problem.status,
      ...problemError.logFields,
    },
    `stream ended early: ${problemError.problem.title}`,
  );
  await sendEvent(
    res,
    { ...problemError.problem, requestId: String(res.locals.requestId) },
    'error',
  );
  res.end();
}
