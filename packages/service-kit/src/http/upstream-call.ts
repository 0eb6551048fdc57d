/**
 * Per-request options for every model call: the request id goes upstream as
 * `x-ms-client-request-id` (Azure logs it), retries stay few (the caller is waiting), and the
 * call is aborted when the caller disconnects.
 */
import type { Response } from 'express';
import type { HttpServiceConfig } from './config.ts';

export interface UpstreamCall {
  options: {
    signal: AbortSignal;
    headers: Record<string, string>;
    maxRetries: number;
    timeout: number;
  };
  controller: AbortController;
  /** True once the client went away before the response was complete. */
  clientGone: () => boolean;
}

export function upstreamCall(res: Response, config: HttpServiceConfig): UpstreamCall {
  const controller = new AbortController();
  let gone = false;
  res.on('close', () => {
    if (res.writableFinished) return;
    gone = true;
    controller.abort();
  });
  return {
    options: {
      signal: controller.signal,
      headers: { 'x-ms-client-request-id': String(res.locals.requestId) },
      maxRetries: config.keyless.openai.maxRetries,
      timeout: config.keyless.openai.timeoutMs,
    },
    controller,
    clientGone: () => gone,
  };
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export function toUsage(
  usage:
    { prompt_tokens: number; completion_tokens?: number; total_tokens: number } | null | undefined,
): Usage | null {
  if (!usage) return null;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens,
  };
}
