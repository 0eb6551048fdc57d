import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from './upstream-errors.ts';

describe('retryAfterSeconds', () => {
  it("prefers Azure's retry-after-ms, rounded up to whole seconds", () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1200', 'retry-after': '9' }))).toBe(
      2,
    );
  });

  it('never tells a client to retry after 0 seconds', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '0' }))).toBe(1);
  });

  it('reads retry-after in seconds', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '7' }))).toBe(7);
  });

  it('reads retry-after as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const headers = new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' });
    expect(retryAfterSeconds(headers, now)).toBe(30);
  });

  it('gives nothing when the model endpoint sent no usable hint', () => {
    expect(retryAfterSeconds(new Headers())).toBeUndefined();
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterSeconds(undefined)).toBeUndefined();
  });
});
