/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every error response of the
 * api goes through here, so none can carry a stack trace or an upstream message by accident.
 */
import type { Response } from 'express';

export interface Problem {
  /** A stable URI naming the kind of problem; clients switch on it, not on `title`. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Extension members (RFC 9457 §3.2), e.g. `errors` with the failing field paths. */
  [extension: string]: unknown;
}

export const problemContentType = 'application/problem+json';

export const problemTypes = {
  invalidBody: 'urn:keyless:problem:invalid-body',
  invalidJson: 'urn:keyless:problem:invalid-json',
  bodyTooLarge: 'urn:keyless:problem:body-too-large',
  unsupportedMediaType: 'urn:keyless:problem:unsupported-media-type',
  notFound: 'urn:keyless:problem:not-found',
  methodNotAllowed: 'urn:keyless:problem:method-not-allowed',
  notConfigured: 'urn:keyless:problem:not-configured',
  throttled: 'urn:keyless:problem:upstream-throttled',
  upstreamAuth: 'urn:keyless:problem:upstream-auth',
  upstreamFailed: 'urn:keyless:problem:upstream-failed',
  upstreamRejected: 'urn:keyless:problem:upstream-rejected',
  upstreamTimeout: 'urn:keyless:problem:upstream-timeout',
  notReady: 'urn:keyless:problem:not-ready',
  internal: 'urn:keyless:problem:internal',
} as const;

export interface ProblemErrorOptions {
  headers?: Record<string, string>;
  logFields?: Record<string, unknown>;
  cause?: unknown;
}

/** An error that already knows the problem to answer with; thrown by handlers, sent by the error handler. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  /** Fields for the log line only (the cause's code and fix); never sent to the client. */
  readonly logFields: Record<string, unknown>;

  constructor(problem: Problem, options: ProblemErrorOptions = {}) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`, {
      cause: options.cause,
    });
    this.problem = problem;
    this.headers = options.headers ?? {};
    this.logFields = options.logFields ?? {};
  }
}

/** Sends a problem response; the request id goes in the body too, so a user can quote it. */
export function sendProblem(
  res: Response,
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  const requestId = res.getHeader('x-request-id');
  res.status(problem.status).set(headers).type(problemContentType);
  res.send(JSON.stringify({ ...problem, requestId }));
}
