import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions as BlobOptions } from '@azure/storage-blob';
import {
  QueueServiceClient,
  type StoragePipelineOptions as QueueOptions,
} from '@azure/storage-queue';
import type { KeylessConfig } from './config.ts';
import { KeylessError } from './errors.ts';

function missingEndpoint(variable: string, example: string): KeylessError {
  return new KeylessError(
    'KEYLESS_ERR_CONFIG',
    `${variable} is not set, so there is no storage endpoint to connect to.`,
    {
      fix: `Set ${variable} to ${example} (no keys or SAS), and pass { storage: true } to loadConfig so that start-up checks it.`,
    },
  );
}

/** A queue service client on the shared credential (Entra ID, never an account key). */
export function createQueueServiceClient(
  config: KeylessConfig,
  credential: TokenCredential,
  options: QueueOptions = {},
): QueueServiceClient {
  const endpoint = config.storage.queueEndpoint;
  if (!endpoint)
    throw missingEndpoint(
      'AZURE_STORAGE_QUEUE_ENDPOINT',
      'https://<account>.queue.core.windows.net',
    );
  return new QueueServiceClient(endpoint, credential, options);
}

/** A blob service client on the shared credential (Entra ID, never an account key). */
export function createBlobServiceClient(
  config: KeylessConfig,
  credential: TokenCredential,
  options: BlobOptions = {},
): BlobServiceClient {
  const endpoint = config.storage.blobEndpoint;
  if (!endpoint)
    throw missingEndpoint('AZURE_STORAGE_BLOB_ENDPOINT', 'https://<account>.blob.core.windows.net');
  return new BlobServiceClient(endpoint, credential, options);
}
