/**
 * `@keyless/auth/storage`: the Azure Storage clients, on Entra ID only. A subpath of its own so that
 * a service without storage (an api) never loads the storage SDKs: about 200 modules and 150 ms of
 * every start-up, and nothing of them in its image.
 */
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions as BlobOptions } from '@azure/storage-blob';
import {
  QueueServiceClient,
  type StoragePipelineOptions as QueueOptions,
} from '@azure/storage-queue';
import type { KeylessConfig } from './config.ts';
import type { KeylessClients } from './keyless-clients.ts';
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

export interface StorageClients {
  queueService: QueueServiceClient;
  blobService: BlobServiceClient;
}

/**
 * The queue and blob clients of a service that uses storage (a worker), on the credential that
 * `createKeylessClients` keeps for storage, so that `explainError` names the principal of a refused
 * storage call. Throws a KeylessError naming the variable when an endpoint is not configured.
 */
export function createStorageClients(
  clients: Pick<KeylessClients, 'config' | 'storageCredential'>,
): StorageClients {
  return {
    queueService: createQueueServiceClient(clients.config, clients.storageCredential),
    blobService: createBlobServiceClient(clients.config, clients.storageCredential),
  };
}
