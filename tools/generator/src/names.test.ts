import { describe, expect, it } from 'vitest';
import { maxServiceNameLength, serviceNameProblem } from './names.ts';

const taken = new Set(['api', 'worker']);

describe('serviceNameProblem', () => {
  it('accepts lowercase names with digits and single hyphens', () => {
    for (const name of ['billing', 'doc-search', 'v2', 'a1-b2-c3']) {
      expect(serviceNameProblem(name, taken)).toBeUndefined();
    }
  });

  it('keeps names short enough for ca-<name>-<13-character token> to fit Azure’s 32', () => {
    expect(maxServiceNameLength).toBe(15);
    expect(serviceNameProblem('a'.repeat(15), taken)).toBeUndefined();
    expect(serviceNameProblem('a'.repeat(16), taken)).toMatch(/16 characters long/);
  });

  it('says what would be accepted when the name is malformed', () => {
    expect(serviceNameProblem('Doc_Search', taken)).toMatch(
      /"Doc_Search" has uppercase letters; use lowercase letters, digits and single hyphens, starting with a letter/,
    );
  });

  it('asks for a name when it is empty', () => {
    expect(serviceNameProblem('', taken)).toMatch(/A service name is required/);
  });

  it('refuses names that exist, are reserved, or contain a word Azure refuses', () => {
    expect(serviceNameProblem('api', taken)).toMatch(/already exists/);
    expect(serviceNameProblem('node-modules', taken)).toMatch(/reserved/);
    expect(serviceNameProblem('logging', taken)).toMatch(/@keyless\/logging/);
    expect(serviceNameProblem('microsoft-bot', taken)).toMatch(/ReservedResourceName/);
  });
});
