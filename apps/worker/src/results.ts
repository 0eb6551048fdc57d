import type { ContainerClient } from '@azure/storage-blob';

/** What `results/<id>.json` holds. */
export interface JobResult {
  id: string;
  request: { messages: Array<{ role: string; content: string }>; maxTokens?: number };
  answer: { role: 'assistant'; content: string };
  finishReason: string | null;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | null;
  timings: {
    enqueuedAt: string | null;
    startedAt: string;
    completedAt: string;
    /** Time from enqueue to this (successful) attempt's start. */
    queuedMs: number | null;
    modelMs: number;
  };
  attempt: number;
  messageId: string;
}

export function resultBlobName(id: string): string {
  return `${id}.json`;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The results container: one blob per job id, written at most once. */
export interface ResultStore {
  exists(id: string): Promise<boolean>;
  /** Writes the result unless one exists: `false` means another attempt got there first. */
  writeOnce(result: JobResult): Promise<boolean>;
}

export function createResultStore(container: ContainerClient): ResultStore {
  return {
    exists: (id) => container.getBlockBlobClient(resultBlobName(id)).exists(),
    async writeOnce(result) {
      const body = JSON.stringify(result, null, 2);
      try {
        await container
          .getBlockBlobClient(resultBlobName(result.id))
          .upload(body, Buffer.byteLength(body), {
            // Two workers racing on the same id leave exactly one result.
            conditions: { ifNoneMatch: '*' },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
        return true;
      } catch (error) {
        // 409 BlobAlreadyExists (or 412 on some emulators): the other writer won.
        const status = statusOf(error);
        if (status === 409 || status === 412) return false;
        throw error;
      }
    },
  };
}
