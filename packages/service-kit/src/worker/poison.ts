import type { QueueClient } from '@azure/storage-queue';

/** What the worker puts on the poison queue: enough to understand and replay the job. */
export interface PoisonEntry {
  reason: string;
  dequeueCount: number;
  original: string;
  messageId: string;
  jobId?: string;
  poisonedAt: string;
}

// A queue message holds at most 64 KiB; keep room for the envelope around the original text.
const maxOriginalChars = 48 * 1024;

export function poisonEntry(input: Omit<PoisonEntry, 'poisonedAt'>, now = new Date()): PoisonEntry {
  const original =
    input.original.length > maxOriginalChars
      ? `${input.original.slice(0, maxOriginalChars)}…[truncated ${input.original.length - maxOriginalChars} chars]`
      : input.original;
  return { ...input, original, poisonedAt: now.toISOString() };
}

export async function sendToPoison(poisonQueue: QueueClient, entry: PoisonEntry): Promise<void> {
  // Never expire: someone has to look at it.
  await poisonQueue.sendMessage(JSON.stringify(entry), { messageTimeToLive: -1 });
}
