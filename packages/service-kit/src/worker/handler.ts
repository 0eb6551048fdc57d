import type { ConfigNeeds, KeylessConfig } from '@keyless/auth';
import type { Logger } from '@keyless/logging';
import type OpenAI from 'openai';
import type { z } from 'zod';
import { decodeMessage, jobIdSchema } from './message.ts';

/** What a handler gets for one attempt at one job. */
export interface JobContext {
  /** Aborted when the worker shuts down past its drain deadline or loses the message's lease. */
  signal: AbortSignal;
  /** This attempt's id: in every log line, and worth sending on as `x-ms-client-request-id`. */
  attemptId: string;
  /** The keyless Azure OpenAI client, from configuration. */
  openai: OpenAI;
  /** The keyless configuration (deployments, endpoints). */
  keyless: KeylessConfig;
  logger: Logger;
}

/**
 * What is specific to a worker: the shape of its jobs and what it does with one. The kit does the
 * rest (receiving, leases, retries, poison, the result written once under the job's id).
 * `handle` returns the result's fields; throwing retries the job (with backoff, up to
 * WORKER_MAX_DEQUEUE) unless the error is a `PermanentJobError` or a 400/413/415/422 from Azure
 * OpenAI, which send it to the poison queue.
 */
export interface JobHandler<Job extends { id: string }, Result extends object> {
  /** Configuration the handler needs beyond chat (checked at start-up with every other setting). */
  needs?: Pick<ConfigNeeds, 'embeddings'>;
  /** Validates a decoded message; its problems become the poison reason. */
  schema: z.ZodType<Job>;
  handle(job: Job, context: JobContext): Promise<Result>;
}

/** Identity function that lets TypeScript infer a handler's job and result types. */
export function defineJobHandler<Job extends { id: string }, Result extends object>(
  handler: JobHandler<Job, Result>,
): JobHandler<Job, Result> {
  return handler;
}

/** Thrown by a handler for a job that can never succeed: it goes to the poison queue at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export type ParsedJob<Job> = { ok: true; job: Job } | { ok: false; reason: string };

/** Turns a queue message's text into a job, or the reason it can never become one. */
export function parseJob<Job extends { id: string }>(
  text: string,
  schema: z.ZodType<Job>,
): ParsedJob<Job> {
  const decoded = decodeMessage(text);
  if (!decoded.ok) return { ok: false, reason: 'message is not JSON (nor base64-encoded JSON)' };
  const parsed = schema.safeParse(decoded.value);
  const id = parsed.success ? jobIdSchema.safeParse(parsed.data.id) : undefined;
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(id && !id.success ? id.error.issues.map((issue) => ({ ...issue, path: ['id'] })) : []),
  ];
  if (issues.length > 0 || !parsed.success) {
    const problems = issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`,
    );
    return { ok: false, reason: `message is not a valid job: ${problems.join('; ')}` };
  }
  return { ok: true, job: parsed.data };
}
