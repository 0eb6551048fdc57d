import { KeylessConfigError } from '@keyless/auth';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.ts';

const baseEnv = {
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
  AZURE_STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:10001/devstoreaccount1',
  AZURE_STORAGE_BLOB_ENDPOINT: 'https://127.0.0.1:10000/devstoreaccount1',
};

function problemsOf(
  env: Record<string, string>,
  needs: { embeddings?: boolean } = {},
): Array<{ variable: string; message: string }> {
  try {
    loadWorkerConfig(env, { name: 'worker', needs });
  } catch (error) {
    if (error instanceof KeylessConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('loadWorkerConfig', () => {
  it('fills in the documented defaults: loopback, and the queues named for the service', () => {
    const config = loadWorkerConfig(baseEnv, { name: 'digest' });
    expect(config).toMatchObject({
      name: 'digest',
      host: '127.0.0.1',
      port: 3001,
      concurrency: 8,
      maxDequeue: 5,
      visibilityTimeoutSeconds: 60,
      renewIntervalMs: 20_000,
      queueName: 'digest-jobs',
      poisonQueueName: 'digest-poison',
      resultsContainer: 'digest-results',
    });
    expect(config.keyless.storage.queueEndpoint).toBe(baseEnv.AZURE_STORAGE_QUEUE_ENDPOINT);
  });

  it('treats empty variables as unset', () => {
    expect(
      loadWorkerConfig({ ...baseEnv, WORKER_CONCURRENCY: '', PORT: '' }, { name: 'worker' })
        .concurrency,
    ).toBe(8);
  });

  it('takes the queues and container the infrastructure hands it', () => {
    const config = loadWorkerConfig(
      {
        ...baseEnv,
        HOST: '0.0.0.0',
        WORKER_QUEUE: 'orders-in',
        WORKER_POISON_QUEUE: 'orders-bad',
        WORKER_RESULTS_CONTAINER: 'orders-out',
      },
      { name: 'worker' },
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      queueName: 'orders-in',
      poisonQueueName: 'orders-bad',
      resultsContainer: 'orders-out',
    });
  });

  it('reads the worker settings', () => {
    const config = loadWorkerConfig(
      {
        ...baseEnv,
        WORKER_CONCURRENCY: '16',
        WORKER_MAX_DEQUEUE: '3',
        WORKER_VISIBILITY_TIMEOUT_SECONDS: '5',
        WORKER_RENEW_INTERVAL_MS: '1000',
      },
      { name: 'worker' },
    );
    expect(config).toMatchObject({
      concurrency: 16,
      maxDequeue: 3,
      visibilityTimeoutSeconds: 5,
      renewIntervalMs: 1000,
    });
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
      WORKER_CONCURRENCY: 'many',
      WORKER_VISIBILITY_TIMEOUT_SECONDS: '0',
      WORKER_QUEUE: 'Jobs_Queue',
    });
    const variables = problems.map((problem) => problem.variable);
    expect(variables).toEqual(
      expect.arrayContaining([
        'AZURE_OPENAI_ENDPOINT',
        'WORKER_CONCURRENCY',
        'WORKER_VISIBILITY_TIMEOUT_SECONDS',
        'WORKER_QUEUE',
      ]),
    );
    const concurrency = problems.find((problem) => problem.variable === 'WORKER_CONCURRENCY');
    expect(concurrency?.message).toContain('whole number');
  });

  it('requires both storage endpoints, because the worker reads a queue and writes blobs', () => {
    const problems = problemsOf({ ...baseEnv, AZURE_STORAGE_BLOB_ENDPOINT: '' });
    expect(problems.map((problem) => problem.variable)).toEqual(['AZURE_STORAGE_BLOB_ENDPOINT']);
    expect(problems[0]?.message).toContain('https://<account>.blob.core.windows.net');
  });

  it('refuses a renewal interval that would let a running job reappear', () => {
    const problems = problemsOf({
      ...baseEnv,
      WORKER_VISIBILITY_TIMEOUT_SECONDS: '2',
      WORKER_RENEW_INTERVAL_MS: '5000',
    });
    expect(problems).toEqual([
      expect.objectContaining({
        variable: 'WORKER_RENEW_INTERVAL_MS',
        message: expect.stringContaining('shorter than'),
      }),
    ]);
  });

  it('refuses a poison queue that is the jobs queue', () => {
    const problems = problemsOf({ ...baseEnv, WORKER_POISON_QUEUE: 'worker-jobs' });
    expect(problems.map((problem) => problem.variable)).toEqual(['WORKER_POISON_QUEUE']);
  });

  it('refuses a storage connection string with a key', () => {
    const accountKey = Buffer.from(`fake-${Date.now()}`).toString('base64');
    expect(() =>
      loadWorkerConfig(
        {
          ...baseEnv,
          AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${accountKey}`,
        },
        { name: 'worker' },
      ),
    ).toThrow(expect.objectContaining({ code: 'KEYLESS_ERR_KEY_PRESENT' }));
  });
});

describe('a job handler’s needs', () => {
  it('adds the embedding deployment to what start-up checks', () => {
    const problems = problemsOf({ ...baseEnv, WORKER_CONCURRENCY: '4' }, { embeddings: true });
    expect(problems.map((problem) => problem.variable)).toEqual([
      'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
    ]);
  });
});
