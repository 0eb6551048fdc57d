import { isRestError } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';

/** What `<id>.json` in the results container holds: the handler's fields, framed by the kit's. */
export type StoredResult<Result extends object = object> = { id: string } & Result & {
    timings: {
      enqueuedAt: string | null;
      startedAt: string;
      completedAt: string;
      /** Time from enqueue to this (successful) attempt's start. */
      queuedMs: number | null;
      /** Time spent in the job handler. */
      handlerMs: number;
    };
    /** The dequeue count of the attempt that wrote it. */
    attempt: number;
    messageId: string;
  };

export function resultBlobName(id: string): string {
  return `${id}.json`;
}

/** The results container: one blob per job id, written at most once. */
export interface ResultStore {
  exists(id: string): Promise<boolean>;
  /** Writes the result unless one exists: `false` means another attempt got there first. */
  writeOnce(result: StoredResult): Promise<boolean>;
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
        if (isRestError(error) && (error.statusCode === 409 || error.statusCode === 412)) {
          return false;
        }
        throw error;
      }
    },
  };
}
