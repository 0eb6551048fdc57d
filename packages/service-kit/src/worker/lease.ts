import { isRestError } from '@azure/core-rest-pipeline';
import type { QueueClient } from '@azure/storage-queue';

/**
 * Our hold on one received message. Every update returns a new pop receipt and invalidates the
 * old one, so all operations on the message (renew, release, delete) go through here, one at a
 * time, each with the latest receipt.
 */
export interface MessageLease {
  readonly messageId: string;
  /** Aborted when the lease is lost (the message became visible and someone else took it). */
  readonly lost: AbortSignal;
  /** Deletes the message: the job is done (or poisoned). */
  complete(): Promise<void>;
  /** Hands the message back: it becomes visible again after `delaySeconds`. */
  release(delaySeconds: number): Promise<void>;
  /** Stops renewing without touching the message. */
  stop(): void;
}

export interface LeaseOptions {
  visibilityTimeoutSeconds: number;
  /** How often to push the visibility timeout out again; defaults to a third of it. */
  renewIntervalMs?: number;
  onRenewError?: (error: unknown) => void;
}

function isGone(error: unknown): boolean {
  // 404 MessageNotFound / 400 PopReceiptMismatch: the receipt is stale, someone else holds it.
  return isRestError(error) && (error.statusCode === 404 || error.statusCode === 400);
}

export function holdMessage(
  queue: QueueClient,
  message: { messageId: string; popReceipt: string },
  options: LeaseOptions,
): MessageLease {
  const { messageId } = message;
  let popReceipt = message.popReceipt;
  let chain: Promise<unknown> = Promise.resolve();
  let finished = false;
  const lostController = new AbortController();

  // Runs operations on the message strictly one after another.
  function serialise<T>(operation: () => Promise<T>): Promise<T> {
    const next = chain.then(operation);
    chain = next.catch(() => undefined);
    return next;
  }

  const intervalMs = options.renewIntervalMs ?? (options.visibilityTimeoutSeconds * 1000) / 3;
  const timer = setInterval(() => {
    void serialise(async () => {
      if (finished) return;
      const response = await queue.updateMessage(
        messageId,
        popReceipt,
        undefined,
        options.visibilityTimeoutSeconds,
      );
      if (response.popReceipt) popReceipt = response.popReceipt;
    }).catch((error: unknown) => {
      if (isGone(error)) {
        finished = true;
        clearInterval(timer);
        lostController.abort(new Error(`lost the lease on message ${messageId}`));
      }
      options.onRenewError?.(error);
    });
  }, intervalMs);
  // A pending renewal must not keep a draining process alive.
  timer.unref();

  function stop(): void {
    finished = true;
    clearInterval(timer);
  }

  return {
    messageId,
    lost: lostController.signal,
    complete: () =>
      serialise(async () => {
        stop();
        await queue.deleteMessage(messageId, popReceipt);
      }),
    release: (delaySeconds) =>
      serialise(async () => {
        stop();
        await queue.updateMessage(
          messageId,
          popReceipt,
          undefined,
          Math.max(0, Math.round(delaySeconds)),
        );
      }),
    stop,
  };
}
