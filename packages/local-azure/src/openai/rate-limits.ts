import type { RateLimits } from './options.ts';

export interface RateLimitDecision {
  allowed: boolean;
  /** Which quota ran out (when not allowed). */
  exceeded?: 'call' | 'token';
  retryAfterMs: number;
  headers: Record<string, string>;
}

const windowMs = 60_000;

/**
 * Requests- and tokens-per-minute per deployment, over a fixed one-minute window that opens with
 * the first request (Azure evaluates over shorter periods; a minute keeps the numbers easy to
 * reason about in tests). A request is charged its prompt plus completion tokens up front.
 */
export function createRateLimiter(initial: Readonly<Record<string, RateLimits>> = {}) {
  const limits = new Map<string, RateLimits>(Object.entries(initial));
  const windows = new Map<string, { startMs: number; requests: number; tokens: number }>();

  function set(deployment: string, next: RateLimits): void {
    limits.set(deployment, { ...next });
    windows.delete(deployment);
  }

  function take(deployment: string, tokens: number, nowMs = Date.now()): RateLimitDecision {
    const limit = limits.get(deployment);
    if (!limit || (limit.requestsPerMinute === undefined && limit.tokensPerMinute === undefined)) {
      return { allowed: true, retryAfterMs: 0, headers: {} };
    }
    let window = windows.get(deployment);
    if (!window || nowMs - window.startMs >= windowMs) {
      window = { startMs: nowMs, requests: 0, tokens: 0 };
      windows.set(deployment, window);
    }
    const retryAfterMs = window.startMs + windowMs - nowMs;
    const overRequests =
      limit.requestsPerMinute !== undefined && window.requests + 1 > limit.requestsPerMinute;
    const overTokens =
      limit.tokensPerMinute !== undefined && window.tokens + tokens > limit.tokensPerMinute;
    const allowed = !overRequests && !overTokens;
    if (allowed) {
      window.requests += 1;
      window.tokens += tokens;
    }
    const headers: Record<string, string> = {};
    if (limit.requestsPerMinute !== undefined) {
      headers['x-ratelimit-limit-requests'] = String(limit.requestsPerMinute);
      headers['x-ratelimit-remaining-requests'] = String(
        Math.max(0, limit.requestsPerMinute - window.requests),
      );
    }
    if (limit.tokensPerMinute !== undefined) {
      headers['x-ratelimit-limit-tokens'] = String(limit.tokensPerMinute);
      headers['x-ratelimit-remaining-tokens'] = String(
        Math.max(0, limit.tokensPerMinute - window.tokens),
      );
    }
    return {
      allowed,
      ...(allowed ? {} : { exceeded: overRequests ? ('call' as const) : ('token' as const) }),
      retryAfterMs: allowed ? 0 : retryAfterMs,
      headers,
    };
  }

  return { set, take };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
