import type { KeylessError } from '@keyless/auth';

/**
 * What to do with a job whose attempt failed:
 * - `permanent`: the job itself is at fault (the model refused it as a bad request); retrying
 *   cannot help, so it goes to the poison queue.
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

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  headers?: unknown;
  message?: unknown;
  name?: unknown;
}

function statusOf(error: HttpLikeError): number | undefined {
  const status = error.status ?? error.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers === 'object' && headers !== null) {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function retryAfterSeconds(headers: unknown): number | undefined {
  const milliseconds = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds / 1000;
  const seconds = Number(header(headers, 'retry-after'));
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
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  const status = statusOf(candidate);
  if (status !== undefined && permanentStatuses.has(status)) {
    return {
      kind: 'permanent',
      reason: `the model endpoint rejected the job (${status}): ${describe(error)}`,
    };
  }
  const after = retryAfterSeconds(candidate.headers);
  return {
    kind: 'transient',
    reason:
      status === undefined
        ? describe(error)
        : `${status} from the model endpoint: ${describe(error)}`,
    ...(after === undefined ? {} : { retryAfterSeconds: after }),
  };
}
