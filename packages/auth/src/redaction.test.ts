import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redact } from './redaction.ts';

// A JWT-shaped string made at run time (never a committed token).
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = `${part({ alg: 'RS256' })}.${part({ oid: 'x' })}.${randomBytes(32).toString('base64url')}`;

describe('redact', () => {
  it('removes JWTs and authorization header values but keeps the rest of the text', () => {
    const text = `request failed; Authorization: Bearer ${jwt}; token=${jwt}; api-key: ${randomBytes(8).toString('hex')}`;
    const redacted = redact(text);
    expect(redacted).not.toContain(jwt);
    expect(redacted).toContain('request failed');
    expect(redacted).toContain('Bearer [redacted]');
    expect(redacted).toMatch(/api-key:? \[redacted\]/);
  });
});
