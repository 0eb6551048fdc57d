/**
 * Reading a JSON request body. Every way a body can be wrong ends as a problem, never a 500: not
 * JSON (415), over the limit (413), empty, malformed, or not an object (400). Written here rather
 * than taken from Express's body parser because that parser lets `null`, whitespace and a
 * non-object through to the route, and costs more per request than the whole proxied call.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ProblemError, problemTypes } from './problem.ts';
import { fieldPath } from './field-path.ts';

/** At most this many field errors go back; a hostile body can fail thousands of checks. */
const maxReportedIssues = 20;

const jsonMediaType = /^application\/json\s*(;|$)/i;
const charsetParameter = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const utf8 = /^utf-?8$/i;

function unsupported(title: string, detail: string): ProblemError {
  return new ProblemError({ type: problemTypes.unsupportedMediaType, title, status: 415, detail });
}

function invalidJson(title: string, detail: string): ProblemError {
  return new ProblemError({ type: problemTypes.invalidJson, title, status: 400, detail });
}

/** Why the headers alone rule the body out, if they do. */
function headerProblem(req: IncomingMessage, limitBytes: number): ProblemError | undefined {
  const contentType = req.headers['content-type'] ?? '';
  if (!jsonMediaType.test(contentType)) {
    return unsupported(
      'Unsupported media type',
      'Send the body as JSON with the header Content-Type: application/json.',
    );
  }
  const charset = charsetParameter.exec(contentType)?.[1];
  if (charset !== undefined && !utf8.test(charset)) {
    return unsupported(
      'Unsupported charset',
      'Send the body as UTF-8 JSON (Content-Type: application/json; charset=utf-8).',
    );
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return unsupported(
      'Unsupported content encoding',
      'Send the body uncompressed (no Content-Encoding).',
    );
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > limitBytes) return tooLarge(limitBytes);
  return undefined;
}

function tooLarge(limitBytes: number): ProblemError {
  return new ProblemError({
    type: problemTypes.bodyTooLarge,
    title: 'The request body is too large',
    status: 413,
    detail: `Send a body of at most ${limitBytes} bytes; the service sets the limit with API_BODY_LIMIT.`,
  });
}

/** The body as an object, or the problem with it. */
export function parseJsonObject(text: string): Record<string, unknown> | ProblemError {
  const start = text.search(/\S/);
  if (start === -1) {
    return invalidJson(
      'The request body is empty',
      'Send a JSON object, for example {"messages":[{"role":"user","content":"Hi"}]}.',
    );
  }
  // Only an object can be valid; refusing anything else before parsing it costs nothing.
  if (text[start] !== '{') return notAnObject();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the body; the client already has it.
    return invalidJson(
      'The request body is not valid JSON',
      'Send a JSON object, for example {"messages":[{"role":"user","content":"Hi"}]}.',
    );
  }
  return value as Record<string, unknown>;
}

function notAnObject(): ProblemError {
  return new ProblemError({
    type: problemTypes.invalidBody,
    title: 'The request body is not a JSON object',
    status: 400,
    detail: 'Send a JSON object, for example {"messages":[{"role":"user","content":"Hi"}]}.',
    errors: [{ path: '(body)', message: 'must be a JSON object' }],
  });
}

/**
 * Middleware: reads the body (up to `limitBytes`) into `req.body` as an object. Whatever is wrong
 * goes to the error handler as a ProblemError.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  return (req, _res, next) => {
    const problem = headerProblem(req, limitBytes);
    if (problem) {
      // Node reads and discards the rest of the body once the response ends, so the
      // connection stays usable instead of being reset under the client.
      next(problem);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let failed = false;
    const fail = (error: ProblemError) => {
      if (failed) return;
      failed = true;
      req.off('data', onData);
      req.resume();
      next(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) return fail(tooLarge(limitBytes));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () =>
      fail(invalidJson('The request was aborted', 'The body did not arrive whole; send it again.')),
    );
    req.once('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks, received).toString('utf8');
      const parsed = parseJsonObject(text);
      if (parsed instanceof ProblemError) return fail(parsed);
      req.body = parsed;
      next();
    });
  };
}

/** The body checked against a zod schema: the parsed value, or a 400 naming each failing field. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors = result.error.issues.slice(0, maxReportedIssues).map((issue) => ({
    path: fieldPath(issue.path),
    message: issue.message,
  }));
  throw new ProblemError({
    type: problemTypes.invalidBody,
    title: 'The request body is invalid',
    status: 400,
    detail: errors.map((error) => `${error.path}: ${error.message}`).join('; '),
    errors,
  });
}
