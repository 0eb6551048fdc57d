/**
 * The last middleware: turns any error into a problem response and one log line. Bad input
 * gets a 4xx; only a bug in the service gets a 500, and never with its stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { APIUserAbortError, OpenAIError } from 'openai';
import { ProblemError, problemTypes, sendProblem } from './problem.ts';
import { UpstreamTimeoutError, upstreamProblem } from './upstream-errors.ts';
import type { UpstreamContext } from './upstream-errors.ts';

export function toProblemError(error: unknown, upstream: UpstreamContext): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof OpenAIError || error instanceof UpstreamTimeoutError) {
    return upstreamProblem(error, upstream);
  }
  // A credential failure that reached us unwrapped is still the identity's problem, not a bug.
  if (upstream.explain(error)) return upstreamProblem(error, upstream);
  return new ProblemError(
    { type: problemTypes.internal, title: 'Internal server error', status: 500 },
    { cause: error },
  );
}

export function errorHandler(upstream: UpstreamContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (error instanceof APIUserAbortError && res.destroyed) {
      req.log.info('client disconnected; the model call was aborted');
      return;
    }
    const problemError = toProblemError(error, upstream);
    const { status } = problemError.problem;
    const cause = problemError.cause ?? problemError;
    const fields = {
      problem: problemError.problem.type,
      status,
      ...problemError.logFields,
      // A 500 is our bug: keep its stack in the log. Anything else: its message is enough.
      ...(status === 500 ? { err: cause } : { error: errorSummary(cause) }),
    };
    if (status >= 500) req.log.error(fields, problemError.problem.title);
    else req.log.warn(fields, problemError.problem.title);
    // A stream already under way reports its own errors; nothing more can be sent here.
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(res, problemError.problem, problemError.headers);
  };
}

function errorSummary(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: typeof error, message: String(error) };
}

/**
 * 404 for every path no route claimed; `routes` lists what the service does serve (`POST
 * /api/chat`), in the detail for a person and as the problem's `routes` member for a program (the
 * http conformance suite sends its hostile bodies to every route there).
 */
export function notFound(routes: readonly string[]): RequestHandler {
  const served = routes.length > 0 ? ` This service serves ${routes.join(', ')}.` : '';
  const listed = [...routes];
  return (req, _res, next) => {
    next(
      new ProblemError({
        type: problemTypes.notFound,
        title: 'Not found',
        status: 404,
        detail: `No route for ${req.method} ${req.path}.${served}`,
        routes: listed,
      }),
    );
  };
}

/** 405 with `Allow` for a known path asked with another method; mount it after the path's routes. */
export function methodNotAllowed(allowed: string): RequestHandler {
  return (req, _res, next) => {
    next(
      new ProblemError(
        {
          type: problemTypes.methodNotAllowed,
          title: 'Method not allowed',
          status: 405,
          detail: `${req.path} accepts ${allowed} only.`,
        },
        { headers: { Allow: allowed } },
      ),
    );
  };
}
