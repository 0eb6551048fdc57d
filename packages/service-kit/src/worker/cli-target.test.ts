import { describe, expect, it } from 'vitest';
import { findWorker, UnknownWorkerError } from './cli-target.ts';

describe('the worker the enqueue and result commands talk to', () => {
  it('is looked up by name in services.json, with its own queues', () => {
    expect(findWorker('worker', import.meta.dirname)).toMatchObject({
      name: 'worker',
      queue: 'worker-jobs',
      poisonQueue: 'worker-poison',
      resultsContainer: 'worker-results',
    });
  });

  it('refuses an unknown name, listing the workers and how to add one', () => {
    expect(() => findWorker('nosuch', import.meta.dirname)).toThrow(
      expect.objectContaining({
        name: 'UnknownWorkerError',
        message: 'There is no service named "nosuch" in services.json.',
        fix: expect.stringMatching(/worker.*npm run gen -- service nosuch worker/),
      }),
    );
  });

  it('refuses an api, which has no queue', () => {
    let error: unknown;
    try {
      findWorker('api', import.meta.dirname);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownWorkerError);
    expect((error as UnknownWorkerError).message).toContain(
      '"api" is an api service, not a worker',
    );
  });
});
