/**
 * Reading and validating JSON request bodies: 415 unless the body is JSON, 413 above the limit
 * (both raised by Express's parser, mapped in error-handler.ts), 400 with the failing fields.
 */
import express from 'express';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { fieldPath } from './schemas.ts';
import { ProblemError, problemTypes } from './problem.ts';

/** At most this many field errors go back; a hostile body can fail thousands of checks. */
const maxReportedIssues = 20;

export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.is('application/json')) return next();
    next(
      new ProblemError({
        type: problemTypes.unsupportedMediaType,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the body as JSON with the header Content-Type: application/json.',
      }),
    );
  };
  return [requireJson, express.json({ limit, strict: true })];
}

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
