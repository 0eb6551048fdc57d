import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultQueue } from './faults.ts';
import { isLoopback, readBody, sendJson } from './http.ts';
import { parseLatency } from './latency.ts';
import type { Latency, RateLimits } from './options.ts';
import { parseJsonObject } from './requests.ts';
import { z } from 'zod';

/** What the `/_emulator/*` routes may change. */
export interface Controls {
  faults: FaultQueue;
  setLatency(latency: Latency): void;
  setLimits(deployment: string, limits: RateLimits): void;
}

const limitsSchema = z.strictObject({
  requestsPerMinute: z.number().int().min(1).optional(),
  tokensPerMinute: z.number().int().min(1).optional(),
});

const controlBodyLimit = 64 * 1024;

function controlError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(response, status, { error: { code, message } });
}

/**
 * Test controls for other processes: `POST/GET/DELETE /_emulator/faults`, `PUT /_emulator/latency`,
 * `PUT /_emulator/limits/{deployment}`. They need no token (they are not Azure's API) but answer
 * only loopback callers.
 */
export async function serveControl(
  controls: Controls,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<void> {
  if (!isLoopback(request.socket.remoteAddress)) {
    request.resume();
    return controlError(
      response,
      403,
      'Forbidden',
      'The emulator controls answer only loopback callers.',
    );
  }
  const method = request.method ?? 'GET';
  if (pathname === '/_emulator/faults' && method === 'GET') {
    return sendJson(response, 200, { pending: controls.faults.pending() });
  }
  if (pathname === '/_emulator/faults' && method === 'DELETE') {
    request.resume();
    controls.faults.clear();
    response.writeHead(204).end();
    return;
  }
  const limitsMatch = /^\/_emulator\/limits\/([^/]+)$/.exec(pathname);
  const isFaults = pathname === '/_emulator/faults' && method === 'POST';
  const isLatency = pathname === '/_emulator/latency' && method === 'PUT';
  const isLimits = limitsMatch !== null && method === 'PUT';
  if (!isFaults && !isLatency && !isLimits) {
    request.resume();
    return controlError(
      response,
      404,
      'NotFound',
      `No emulator control at ${method} ${pathname}. Use POST/GET/DELETE /_emulator/faults, PUT /_emulator/latency or PUT /_emulator/limits/{deployment}.`,
    );
  }

  const read = await readBody(request, controlBodyLimit);
  if (!read.ok) return sendJson(response, read.error.status, read.error.body);
  const json = parseJsonObject(read.body);
  if (!json.ok) return sendJson(response, json.error.status, json.error.body);
  try {
    if (isFaults) {
      controls.faults.inject(json.value);
      return sendJson(response, 201, { pending: controls.faults.pending() });
    }
    if (isLatency) {
      const latency = parseLatency(json.value);
      controls.setLatency(latency);
      return sendJson(response, 200, latency);
    }
    const limits = limitsSchema.safeParse(json.value);
    if (!limits.success) {
      return controlError(
        response,
        400,
        'InvalidLimits',
        `Invalid limits (${limits.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}). Pass { requestsPerMinute?: integer >= 1, tokensPerMinute?: integer >= 1 }.`,
      );
    }
    controls.setLimits(decodeURIComponent(limitsMatch?.[1] ?? ''), limits.data);
    return sendJson(response, 200, limits.data);
  } catch (error) {
    return controlError(response, 400, 'InvalidControl', (error as Error).message);
  }
}
