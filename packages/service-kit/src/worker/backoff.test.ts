import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from './backoff.ts';

const fixed = (value: number) => () => value;

describe('retryDelaySeconds', () => {
  it('doubles with each dequeue', () => {
    const delays = [1, 2, 3, 4].map((dequeueCount) =>
      retryDelaySeconds({ dequeueCount, baseSeconds: 5, maxSeconds: 1000, random: fixed(1) }),
    );
    expect(delays).toEqual([5, 10, 20, 40]);
  });

  it('never exceeds the maximum', () => {
    expect(
      retryDelaySeconds({ dequeueCount: 30, baseSeconds: 5, maxSeconds: 300, random: fixed(1) }),
    ).toBe(300);
  });

  it('jitters between half and all of the delay', () => {
    expect(
      retryDelaySeconds({ dequeueCount: 3, baseSeconds: 5, maxSeconds: 300, random: fixed(0) }),
    ).toBe(10);
    expect(
      retryDelaySeconds({ dequeueCount: 3, baseSeconds: 5, maxSeconds: 300, random: fixed(0.5) }),
    ).toBe(15);
  });

  it("honours the server's Retry-After as a floor, within the maximum", () => {
    expect(
      retryDelaySeconds({
        dequeueCount: 1,
        baseSeconds: 1,
        maxSeconds: 300,
        retryAfterSeconds: 42,
        random: fixed(0),
      }),
    ).toBe(42);
    expect(
      retryDelaySeconds({
        dequeueCount: 1,
        baseSeconds: 1,
        maxSeconds: 30,
        retryAfterSeconds: 600,
        random: fixed(0),
      }),
    ).toBe(30);
  });

  it('retries at once when the base delay is zero', () => {
    expect(retryDelaySeconds({ dequeueCount: 4, baseSeconds: 0, maxSeconds: 0 })).toBe(0);
  });
});
