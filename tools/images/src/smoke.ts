/**
 * What "it answers" means for a running service, by kind: `/readyz` says ready, then one real
 * call through the local stack (an api's chat; a worker's enqueued job and its result).
 */
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { Service, WorkerService } from '@keyless/registry';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export class SmokeError extends Error {
  readonly code: string;
  readonly service: string;
  readonly fix: string;
  constructor(service: string, code: string, message: string, fix: string) {
    super(`${service}: ${message}`);
    this.name = 'SmokeError';
    this.code = code;
    this.service = service;
    this.fix = fix;
  }
}

/** Polls `/readyz` until it answers 200, the process is gone (`exited` settles) or time runs out. */
export async function waitUntilReady(
  service: string,
  baseUrl: string,
  options: { timeoutMs: number; exited?: Promise<unknown> },
): Promise<void> {
  let gone = false;
  void options.exited?.then(() => (gone = true));
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new SmokeError(
    service,
    gone ? 'ServiceExited' : 'NotReady',
    gone
      ? 'the service exited before /readyz answered 200'
      : `/readyz did not answer 200 within ${options.timeoutMs} ms (last: ${last})`,
    'Read the service output printed above; a missing module means the bundle is not self-contained.',
  );
}

/** An api's chat: `POST /api/chat` answers 200 with the model's message. */
export async function checkChat(service: string, baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      messages: [{ role: 'user', content: 'Say hello to the image check.' }],
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new SmokeError(
      service,
      'ChatFailed',
      `POST /api/chat answered ${response.status}: ${text}`,
      'Check the identity and role grants the service runs with (npm run doctor).',
    );
  }
  return text;
}

export interface StorageAccess {
  readonly queueEndpoint: string;
  readonly blobEndpoint: string;
  /** Someone allowed to send to the worker's queue and read its results (the developer). */
  readonly credential: TokenCredential;
}

/** A worker's job: `{ id, prompt }` on its own queue, then `<id>.json` in its results container. */
export async function checkJob(
  service: WorkerService,
  storage: StorageAccess,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const id = `image-check-${randomUUID()}`;
  const queue = new QueueServiceClient(storage.queueEndpoint, storage.credential).getQueueClient(
    service.queue,
  );
  await queue.createIfNotExists();
  await queue.sendMessage(JSON.stringify({ id, prompt: 'Say hello to the image check.' }));
  const blob = new BlobServiceClient(storage.blobEndpoint, storage.credential)
    .getContainerClient(service.resultsContainer)
    .getBlobClient(`${id}.json`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await blob.exists()) {
      const body = await blob.downloadToBuffer();
      return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    }
    await sleep(500);
  }
  throw new SmokeError(
    service.name,
    'NoResult',
    `job ${id} on queue ${service.queue} left no ${id}.json in ${service.resultsContainer} within ${timeoutMs} ms`,
    `Check that the worker reads WORKER_QUEUE=${service.queue} and writes WORKER_RESULTS_CONTAINER=${service.resultsContainer}.`,
  );
}

/** Ready, then the one real call of the service's kind; returns what the call answered. */
export async function checkService(
  service: Service,
  baseUrl: string,
  storage: StorageAccess,
  exited?: Promise<unknown>,
): Promise<string> {
  await waitUntilReady(service.name, baseUrl, { timeoutMs: 90_000, exited });
  if (service.kind === 'api') return checkChat(service.name, baseUrl);
  return JSON.stringify(await checkJob(service, storage));
}
