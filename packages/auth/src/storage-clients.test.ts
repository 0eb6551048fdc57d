import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createStorageClients } from './storage-clients.ts';

const base = {
  AZURE_OPENAI_ENDPOINT: 'https://example.openai.azure.com',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
};
// Building a client asks for no token; none is needed here.
const storageCredential = { getToken: () => Promise.reject(new Error('no token in this test')) };

describe('createStorageClients', () => {
  it('builds queue and blob clients on the configured endpoints', () => {
    const config = loadConfig({
      ...base,
      AZURE_STORAGE_QUEUE_ENDPOINT: 'https://acct.queue.core.windows.net',
      AZURE_STORAGE_BLOB_ENDPOINT: 'https://acct.blob.core.windows.net',
    });
    const { queueService, blobService } = createStorageClients({ config, storageCredential });
    expect(new URL(queueService.url).host).toBe('acct.queue.core.windows.net');
    expect(new URL(blobService.url).host).toBe('acct.blob.core.windows.net');
  });

  it('refuses a missing endpoint with a KeylessError naming the variable and the fix', () => {
    const config = loadConfig({
      ...base,
      AZURE_STORAGE_QUEUE_ENDPOINT: 'https://acct.queue.core.windows.net',
    });
    expect(() => createStorageClients({ config, storageCredential })).toThrow(
      expect.objectContaining({
        code: 'KEYLESS_ERR_CONFIG',
        detail: expect.stringContaining('AZURE_STORAGE_BLOB_ENDPOINT is not set'),
        fix: expect.stringContaining('AZURE_STORAGE_BLOB_ENDPOINT'),
      }),
    );
  });
});
