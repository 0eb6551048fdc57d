import { KeylessError } from '@keyless/auth';
import { RestError } from '@azure/core-rest-pipeline';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './failure.ts';
import { PermanentJobError } from './handler.ts';

const explainNothing = () => undefined;

function apiError(status: number, headers: Record<string, string> = {}): APIError {
  return APIError.generate(
    status,
    { error: { message: `status ${status}` } },
    undefined,
    new Headers(headers),
  );
}

describe('classifyFailure', () => {
  it('treats a 400 from the model as permanent: the same request will fail again', () => {
    const failure = classifyFailure(apiError(400), explainNothing);
    expect(failure.kind).toBe('permanent');
    expect(failure.reason).toContain('400');
  });

  it('treats throttling and server errors as transient', () => {
    for (const status of [408, 429, 500, 502, 503]) {
      expect(classifyFailure(apiError(status), explainNothing).kind).toBe('transient');
    }
  });

  it('passes on Retry-After and retry-after-ms', () => {
    expect(
      classifyFailure(apiError(429, { 'retry-after': '7' }), explainNothing).retryAfterSeconds,
    ).toBe(7);
    expect(
      classifyFailure(apiError(429, { 'retry-after-ms': '1500' }), explainNothing)
        .retryAfterSeconds,
    ).toBe(1.5);
  });

  it('treats a timeout as transient', () => {
    expect(classifyFailure(new APIConnectionTimeoutError(), explainNothing).kind).toBe('transient');
  });

  it('retries identity problems rather than poisoning the job, and keeps the fix', () => {
    const explained = new KeylessError('KEYLESS_ERR_PERMISSION_DENIED', 'principal lacks the role');
    const failure = classifyFailure(apiError(401), () => explained);
    expect(failure.kind).toBe('transient');
    expect(failure.keyless?.fix).toBe(explained.fix);
    expect(failure.reason).toContain('KEYLESS_ERR_PERMISSION_DENIED');
  });

  it('poisons a job its handler refuses with a PermanentJobError', () => {
    expect(classifyFailure(new PermanentJobError('no such document'), explainNothing)).toEqual({
      kind: 'permanent',
      reason: 'the handler refused the job: no such document',
    });
  });

  it('treats a storage error as transient, naming its status', () => {
    const failure = classifyFailure(
      new RestError('server busy', { statusCode: 503 }),
      explainNothing,
    );
    expect(failure).toMatchObject({ kind: 'transient', reason: expect.stringContaining('503') });
  });

  it('treats an unknown error as transient, bounded by the dequeue limit', () => {
    expect(classifyFailure(new Error('socket hang up'), explainNothing)).toEqual({
      kind: 'transient',
      reason: 'Error: socket hang up',
    });
  });
});
