import { describe, expect, it } from 'vitest';
import { requestIdFor } from './request-id.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it('keeps a caller id made of word characters, dots and dashes', () => {
    expect(requestIdFor('order-42.retry_1')).toBe('order-42.retry_1');
  });

  it('keeps an id of exactly 128 characters', () => {
    const id = 'a'.repeat(128);
    expect(requestIdFor(id)).toBe(id);
  });

  it('replaces an id longer than 128 characters with a new UUID', () => {
    expect(requestIdFor('a'.repeat(129))).toMatch(uuid);
  });

  it('replaces ids that could forge log lines or headers with a new UUID', () => {
    for (const hostile of ['a\nb', 'x"}', '<script>', 'id with spaces', '', 'ünïcode']) {
      expect(requestIdFor(hostile)).toMatch(uuid);
    }
  });

  it('creates a UUID when no id was sent', () => {
    expect(requestIdFor(undefined)).toMatch(uuid);
  });

  it('uses the first value when the header was sent twice', () => {
    expect(requestIdFor(['first', 'second'])).toBe('first');
  });
});
