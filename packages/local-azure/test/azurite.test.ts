import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadLocalIdentities,
  startAzurite,
  startIdentityEndpoint,
  trustCertificate,
} from '../src/index.ts';
import type { AzuriteHandle, IdentityEndpoint } from '../src/index.ts';

// MSAL reads IDENTITY_ENDPOINT once per process: this file owns it.
const { tenantId, identities } = loadLocalIdentities();
const worker = identities.find((identity) => identity.name === 'id-worker')!;
let endpoint: IdentityEndpoint;
let azurite: AzuriteHandle;
let credential: ManagedIdentityCredential;

beforeAll(async () => {
  endpoint = await startIdentityEndpoint({ tenantId, identities });
  azurite = await startAzurite();
  process.env['IDENTITY_ENDPOINT'] = endpoint.url;
  process.env['IDENTITY_HEADER'] = endpoint.header;
  trustCertificate(azurite.caCertPath);
  credential = new ManagedIdentityCredential({ clientId: worker.clientId });
}, 60_000);
afterAll(async () => {
  await azurite?.close();
  await endpoint?.close();
});

/** A credential that hands out a token minted for another audience than storage. */
function tokenFor(resource: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      const url = new URL(endpoint.url);
      url.searchParams.set('api-version', '2019-08-01');
      url.searchParams.set('resource', resource);
      url.searchParams.set('client_id', worker.clientId);
      const response = await fetch(url, { headers: { 'X-IDENTITY-HEADER': endpoint.header } });
      const body = (await response.json()) as { access_token: string; expires_on: string };
      return { token: body.access_token, expiresOnTimestamp: Number(body.expires_on) * 1000 };
    },
  };
}

describe('Azurite behind the local identity endpoint', () => {
  it('serves blob and queue over https on loopback under the development account', () => {
    expect(azurite.blobEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(azurite.queueEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
  });

  it('lets a managed identity send, receive and delete a queue message', async () => {
    const queue = new QueueServiceClient(azurite.queueEndpoint, credential).getQueueClient('jobs');
    await queue.createIfNotExists();
    await queue.sendMessage('{"job":1}');
    const received = await queue.receiveMessages({ numberOfMessages: 1 });
    const message = received.receivedMessageItems[0]!;
    expect(message.messageText).toBe('{"job":1}');
    await queue.deleteMessage(message.messageId, message.popReceipt);
    const peeked = await queue.peekMessages();
    expect(peeked.peekedMessageItems).toHaveLength(0);
    expect(
      endpoint.requestLog.some(
        (entry) => entry.resource === 'https://storage.azure.com' && entry.status === 200,
      ),
    ).toBe(true);
  });

  it('lets a managed identity upload and download a blob', async () => {
    const container = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(
      'results',
    );
    await container.createIfNotExists();
    const blob = container.getBlockBlobClient('answer.json');
    await blob.upload('{"answer":42}', 13);
    const downloaded = await blob.downloadToBuffer();
    expect(downloaded.toString()).toBe('{"answer":42}');
  });

  it('refuses a token minted for another audience with 403', async () => {
    const queue = new QueueServiceClient(
      azurite.queueEndpoint,
      tokenFor('https://cognitiveservices.azure.com'),
      {
        retryOptions: { maxTries: 1 },
      },
    ).getQueueClient('jobs');
    await expect(queue.getProperties()).rejects.toMatchObject({ statusCode: 403 });
  });

  it('explains a port that is already in use', async () => {
    const port = Number(new URL(azurite.blobEndpoint).port);
    await expect(
      startAzurite({ blobPort: port, portEnvVars: { blob: 'LOCAL_AZURE_BLOB_PORT' } }),
    ).rejects.toThrow(
      new RegExp(
        `Port ${port} is already in use.*Azurite blob service.*LOCAL_AZURE_BLOB_PORT=<port>`,
      ),
    );
  }, 60_000);

  it('stops its processes and removes its temporary certificate on close', async () => {
    const other = await startAzurite();
    await other.close();
    expect(existsSync(dirname(other.caCertPath))).toBe(false);
    for (const pid of other.pids) {
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    }
  }, 60_000);
});
