import { isRestError } from '@azure/core-rest-pipeline';
import type { KeylessError } from '@keyless/auth';
import { APIError } from 'openai';
import { PermanentJobError } from './handler.ts';

/**
 * What to do with a job whose attempt failed:
 * - `permanent`: the job itself is at fault (the model refused it as a bad request, or the
 *   handler said so with a PermanentJobError); retrying cannot help, so it goes to the poison queue.
 * - `transient`: throttling, a server error, a timeout, the token endpoint being down, or a
 *   misconfigured identity; the message goes back to the queue with a growing delay, and
 *   WORKER_MAX_DEQUEUE bounds how often that can happen.
 */
export interface Failure {
  kind: 'permanent' | 'transient';
  reason: string;
  /** The server's Retry-After, when it sent one. */
  retryAfterSeconds?: number;
  /** Set when @keyless/auth recognises an identity or configuration problem (with its fix). */
  keyless?: KeylessError;
}

// The model will give the same answer to the same request: a bad request stays bad.
const permanentStatuses = new Set([400, 413, 415, 422]);

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds / 1000;
  const seconds = Number(headers?.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return seconds;
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0] ?? ''}`;
  return String(error);
}

/** @param explain @keyless/auth's explanation of identity and configuration errors. */
export function classifyFailure(
  error: unknown,
  explain: (error: unknown) => KeylessError | undefined,
): Failure {
  if (error instanceof PermanentJobError) {
    return { kind: 'permanent', reason: `the handler refused the job: ${error.message}` };
  }
  const keyless = explain(error);
  if (keyless) {
    // Wrong role, wrong deployment, token endpoint down: not the job's fault. Retrying lets the
    // job succeed once an operator fixes it (role assignments take minutes to propagate).
    return {
      kind: 'transient',
      reason: `${keyless.code}: ${keyless.message.split('\n')[0] ?? ''}`,
      keyless,
    };
  }
  // `instanceof` leaves APIError's type parameters as any; these are its documented defaults.
  const api = error instanceof APIError ? (error as APIError<number | undefined, Headers>) : null;
  if (api?.status !== undefined && api.status !== null) {
    if (permanentStatuses.has(api.status)) {
      return {
        kind: 'permanent',
        reason: `the model endpoint rejected the job (${api.status}): ${describe(error)}`,
      };
    }
    const after = retryAfterSeconds(api.headers);
    return {
      kind: 'transient',
      reason: `${api.status} from the model endpoint: ${describe(error)}`,
      ...(after === undefined ? {} : { retryAfterSeconds: after }),
    };
  }
  if (isRestError(error) && error.statusCode !== undefined) {
    return {
      kind: 'transient',
      reason: `${error.statusCode} from storage: ${describe(error)}`,
    };
  }
  return { kind: 'transient', reason: describe(error) };
}
