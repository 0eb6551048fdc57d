/**
 * The local stack the images are checked against (`@keyless/local-azure` on free ports), joined
 * by this process as the developer, and each service's environment as Container Apps gives it.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { startLocalAzure, trustCertificate } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { identityName } from '@keyless/registry';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@keyless/registry';
import type { StorageAccess } from './smoke.ts';

export interface CheckStack {
  readonly local: LocalAzure;
  /** The developer's access to storage, to enqueue jobs and read results. */
  readonly storage: StorageAccess;
  /** Azurite's certificate folder: a container needs it mounted at the same path. */
  readonly certDir: string;
  /** What the service gets in Container Apps, on `port`, listening on loopback. */
  envFor(service: Service, port: number): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the stack. MSAL fixes its managed-identity source once per process, so this sets the
 * developer's IDENTITY_* variables in this process before the first credential exists.
 */
export async function startCheckStack(): Promise<CheckStack> {
  const local = await startLocalAzure({ ports: 'free', storage: true });
  try {
    const storageHandle = local.storage;
    if (!storageHandle) throw new Error('the local stack started without Azurite');
    trustCertificate(storageHandle.caCertPath);
    const developer = local.envFor('developer');
    const { AZURE_CLIENT_ID, AZURE_STORAGE_QUEUE_ENDPOINT, AZURE_STORAGE_BLOB_ENDPOINT } =
      developer;
    if (!AZURE_CLIENT_ID || !AZURE_STORAGE_QUEUE_ENDPOINT || !AZURE_STORAGE_BLOB_ENDPOINT) {
      throw new Error('the local stack gave the developer no client id or storage endpoints');
    }
    for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'] as const) {
      // eslint-disable-next-line no-restricted-syntax -- MSAL reads these from process.env itself.
      process.env[name] = developer[name];
    }
    const credential = new ManagedIdentityCredential({ clientId: AZURE_CLIENT_ID });
    // The stack's certificate folder is private to this user (it holds the key too), and an image
    // runs as its own user: give containers a readable copy of the certificate alone.
    const certDir = await mkdtemp(join(tmpdir(), 'image-check-ca-'));
    const caCert = join(certDir, 'azurite-ca.pem');
    await copyFile(storageHandle.caCertPath, caCert);
    await chmod(caCert, 0o644);
    await chmod(certDir, 0o755);
    return {
      local,
      certDir,
      storage: {
        queueEndpoint: AZURE_STORAGE_QUEUE_ENDPOINT,
        blobEndpoint: AZURE_STORAGE_BLOB_ENDPOINT,
        credential,
      },
      envFor(service, port) {
        return {
          ...local.envFor(identityName(service)),
          // The image says 0.0.0.0 for Container Apps; on this shared host it stays on loopback.
          HOST: '127.0.0.1',
          PORT: String(port),
          NODE_EXTRA_CA_CERTS: caCert,
          ...(service.kind === 'worker'
            ? {
                WORKER_QUEUE: service.queue,
                WORKER_POISON_QUEUE: service.poisonQueue,
                WORKER_RESULTS_CONTAINER: service.resultsContainer,
              }
            : {}),
        };
      },
      async stop() {
        await local.stop();
        await rm(certDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await local.stop();
    throw error;
  }
}
