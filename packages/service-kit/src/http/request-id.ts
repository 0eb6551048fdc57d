/**
 * The request id: the caller's `x-request-id` when it is a sane value, else a new UUID. It is
 * echoed on the response, bound to every log line and sent to Azure OpenAI as
 * `x-ms-client-request-id`, so one id follows a request through both services' logs.
 */
import { randomUUID } from 'node:crypto';

const saneRequestId = /^[\w.-]{1,128}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && saneRequestId.test(value) ? value : randomUUID();
}
