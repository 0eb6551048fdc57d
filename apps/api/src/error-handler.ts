/**
 * The last middleware: turns any error into a problem response and one log line. Bad input
 * gets a 4xx; only a bug in this service gets a 500, and never with its stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { APIUserAbortError, OpenAIError } from 'openai';
import { ProblemError, problemTypes, sendProblem } from './problem.ts';
import { UpstreamTimeoutError, upstreamProblem } from './upstream-errors.ts';
import type { UpstreamContext } from './upstream-errors.ts';

/** The errors Express's body parser raises (http-errors), by their `type`. */
const bodyParserProblems: Record<string, { status: number; title: string; detail: string }> = {
  'entity.parse.failed': {
    status: 400,
    title: 'The request body is not valid JSON',
    detail: 'Send a JSON object, for example {"messages":[{"role":"user","content":"Hi"}]}.',
  },
  'entity.too.large': {
    status: 413,
    title: 'The request body is too large',
    detail: 'Send a smaller body; the limit is set by API_BODY_LIMIT.',
  },
  'charset.unsupported': {
    status: 415,
    title: 'Unsupported charset',
    detail: 'Send the body as UTF-8 JSON (Content-Type: application/json; charset=utf-8).',
  },
  'encoding.unsupported': {
    status: 415,
    title: 'Unsupported content encoding',
    detail: 'Send the body uncompressed, or gzip/deflate/br encoded.',
  },
  'request.aborted': {
    status: 400,
    title: 'The request was aborted',
    detail: 'The client closed the connection before sending the whole body.',
  },
  'request.size.invalid': {
    status: 400,
    title: 'The body does not match Content-Length',
    detail: 'Send exactly as many bytes as Content-Length says.',
  },
};

export function toProblemError(error: unknown, upstream: UpstreamContext): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof OpenAIError || error instanceof UpstreamTimeoutError) {
    return upstreamProblem(error, upstream);
  }
  const bodyParserType = (error as { type?: unknown } | undefined)?.type;
  const known = typeof bodyParserType === 'string' ? bodyParserProblems[bodyParserType] : undefined;
  if (known) {
    const type =
      known.status === 413
        ? problemTypes.bodyTooLarge
        : known.status === 415
          ? problemTypes.unsupportedMediaType
          : problemTypes.invalidJson;
    return new ProblemError({ type, ...known }, { cause: error });
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

export const notFound: RequestHandler = (req, _res, next) => {
  next(
    new ProblemError({
      type: problemTypes.notFound,
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}. The api serves POST /api/chat, POST /api/embeddings, GET /healthz and GET /readyz.`,
    }),
  );
};

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
