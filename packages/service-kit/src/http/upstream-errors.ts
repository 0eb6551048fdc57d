/**
 * What the client sees when the model call fails. Auth problems (our identity refused, missing
 * deployment) are the operator's to fix: the client gets a safe 502 and the log gets
 * @keyless/auth's code and fix. Throttling passes on as 429 with the model's Retry-After.
 */
import type { KeylessError } from '@keyless/auth';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ProblemError, problemTypes } from './problem.ts';

/** Upstream messages about the caller's input are passed on, cut to a readable length. */
const maxUpstreamDetail = 500;

export class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
}

export interface UpstreamContext {
  timeoutMs: number;
  /** @keyless/auth's diagnosis of an auth or configuration failure (the facade's explainError). */
  explain: (error: unknown) => KeylessError | undefined;
}

export function upstreamProblem(error: unknown, context: UpstreamContext): ProblemError {
  if (error instanceof APIConnectionTimeoutError || error instanceof UpstreamTimeoutError) {
    return new ProblemError(
      {
        type: problemTypes.upstreamTimeout,
        title: 'The model endpoint did not answer in time',
        status: 504,
        detail: 'Try again; if it persists the model deployment may be overloaded.',
      },
      { cause: error, logFields: { timeoutMs: context.timeoutMs } },
    );
  }
  // Refused by the model endpoint, or no token at all (the SDK wraps the credential's error).
  const keylessError = context.explain(error);
  if (keylessError) {
    return new ProblemError(
      {
        type: problemTypes.upstreamAuth,
        title: 'Bad gateway',
        status: 502,
        detail: 'The service could not authenticate to the model endpoint.',
      },
      {
        cause: error,
        logFields: { code: keylessError.code, fix: keylessError.fix, reason: keylessError.message },
      },
    );
  }
  if (error instanceof APIConnectionError) {
    return upstreamFailed(error, 'The model endpoint could not be reached.');
  }
  if (!(error instanceof APIError)) {
    return upstreamFailed(error, 'The model call failed.');
  }
  if (error.status === 429) {
    const retryAfter = retryAfterSeconds(error.headers as Headers | undefined);
    return new ProblemError(
      {
        type: problemTypes.throttled,
        title: 'Too many requests',
        status: 429,
        detail: 'The model endpoint is throttling requests; retry after the Retry-After delay.',
      },
      {
        cause: error,
        headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
      },
    );
  }
  if (error.status === 400) {
    return new ProblemError(
      {
        type: problemTypes.upstreamRejected,
        title: 'The model rejected the request',
        status: 400,
        detail: upstreamMessage(error).slice(0, maxUpstreamDetail),
      },
      { cause: error },
    );
  }
  return upstreamFailed(
    error,
    `The model endpoint answered ${error.status ?? 'without a status'}.`,
  );
}

function upstreamFailed(error: unknown, detail: string): ProblemError {
  return new ProblemError(
    { type: problemTypes.upstreamFailed, title: 'Bad gateway', status: 502, detail },
    { cause: error },
  );
}

function upstreamMessage(error: { error?: unknown }): string {
  const body = error.error as { message?: unknown } | null | undefined;
  return typeof body?.message === 'string' ? body.message : 'The request was not accepted.';
}

/** Seconds to wait, from `retry-after-ms` (Azure's, precise) or `retry-after` (seconds or a date). */
export function retryAfterSeconds(
  headers: Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0)
    return Math.max(1, Math.ceil(milliseconds / 1000));
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(1, Math.ceil((date - now) / 1000));
}
