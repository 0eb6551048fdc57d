import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { createCertificate, type LocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCredential,
  createKeylessClients,
  loadConfig,
  toKeylessError,
  type KeylessClients,
} from '../src/index.ts';
import { createQueueServiceClient, createStorageClients } from '../src/storage-clients.ts';
import { joinIdentityEndpoint, startStack } from './local-stack.ts';

// Azurite does not enforce RBAC, so this https server answers the way Azure Storage does for a
// principal without the data role (status, x-ms-error-code and XML body as Azure sends them).
let stack: LocalAzure;
let server: Server;
let endpoint: string;
// The same server under a second name, so that queue and blob endpoints differ as in Azure.
let blobEndpoint: string;
let answer: { status: number; code: string; message: string };

async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'keyless-storage-'));
  try {
    const { keyPath, certPath } = await createCertificate(folder);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  stack = await startStack();
  joinIdentityEndpoint(stack);
  const { key, cert } = await selfSignedCertificate();
  setDefaultCACertificates([...getCACertificates('default'), cert]);
  server = createServer({ key, cert }, (request, response) => {
    request.resume();
    response.writeHead(answer.status, {
      'content-type': 'application/xml',
      'x-ms-error-code': answer.code,
      'x-ms-request-id': '00000000-0000-0000-0000-000000000000',
    });
    response.end(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${answer.code}</Code><Message>${answer.message}\nRequestId:00000000-0000-0000-0000-000000000000\nTime:2026-11-24T00:00:00.0000000Z</Message></Error>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  endpoint = `https://127.0.0.1:${port}/devstoreaccount1`;
  blobEndpoint = `https://localhost:${port}/devstoreaccount1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.stop();
});

function clients(): KeylessClients {
  return createKeylessClients(
    loadConfig({
      ...stack.envFor('id-api'),
      AZURE_STORAGE_QUEUE_ENDPOINT: endpoint,
      AZURE_STORAGE_BLOB_ENDPOINT: blobEndpoint,
    }),
  );
}

/** Sends a message to `jobs` through the keyless clients and explains the failure it gets. */
async function explainedQueueSend() {
  const keyless = clients();
  const failure = await createStorageClients(keyless)
    .queueService.getQueueClient('jobs')
    .sendMessage('hi')
    .catch((error: unknown) => error);
  return keyless.explainError(failure);
}

const mismatch = {
  status: 403,
  code: 'AuthorizationPermissionMismatch',
  message: 'This request is not authorized to perform this operation using this permission.',
};

describe('toKeylessError on storage responses', () => {
  it('names the queue data role for a 403 AuthorizationPermissionMismatch on a queue', async () => {
    answer = mismatch;
    const error = await explainedQueueSend();

    expect(error?.code).toBe('KEYLESS_ERR_STORAGE_PERMISSION');
    expect(error?.message).toContain('AuthorizationPermissionMismatch');
    expect(error?.fix).toContain('"Storage Queue Data Contributor"');
    const apiPrincipal = stack.identities.find(
      (identity) => identity.name === 'id-api',
    )?.principalId;
    expect(error?.fix).toContain(
      `--assignee-object-id ${apiPrincipal} --assignee-principal-type ServicePrincipal`,
    );
    expect(error?.fix).toContain('queueServices/default/queues');
  });

  it('names the blob data role for a 403 AuthorizationFailure on a container', async () => {
    answer = {
      ...mismatch,
      code: 'AuthorizationFailure',
      message: 'This request is not authorized to perform this operation.',
    };
    const keyless = clients();
    const failure = await createStorageClients(keyless)
      .blobService.getContainerClient('results')
      .getBlockBlobClient('a.json')
      .upload('{}', 2)
      .catch((error: unknown) => error);
    const error = keyless.explainError(failure);

    expect(error?.code).toBe('KEYLESS_ERR_STORAGE_PERMISSION');
    expect(error?.fix).toContain('"Storage Blob Data Contributor"');
  });

  it('explains a storage 401 as a rejected token for the storage scope', async () => {
    answer = {
      status: 401,
      code: 'InvalidAuthenticationInfo',
      message:
        'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.',
    };
    const error = await explainedQueueSend();

    expect(error?.code).toBe('KEYLESS_ERR_TOKEN_REJECTED');
    expect(error?.message).toContain('https://storage.azure.com/.default');
  });

  it('leaves a storage 503 to the caller', async () => {
    answer = { status: 503, code: 'ServerBusy', message: 'The server is busy.' };
    const config = clients().config;
    const { credential } = createCredential(config.identity);
    const queues = createQueueServiceClient(config, credential, { retryOptions: { maxTries: 1 } });
    const failure = await queues
      .getQueueClient('jobs')
      .sendMessage('hi')
      .catch((error: unknown) => error);
    expect((failure as { statusCode?: number }).statusCode).toBe(503);
    expect(toKeylessError(failure, { config })).toBeUndefined();
  });
});
