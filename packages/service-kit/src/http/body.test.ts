import { describe, expect, it } from 'vitest';
import { parseJsonObject } from './body.ts';
import { ProblemError } from './problem.ts';

function statusOf(text: string): { type: string; status: number } | 'object' {
  const result = parseJsonObject(text);
  return result instanceof ProblemError
    ? { type: result.problem.type, status: result.problem.status }
    : 'object';
}

describe('parseJsonObject', () => {
  it('gives the object for a JSON object, surrounding whitespace included', () => {
    expect(parseJsonObject(' \n{"a":[1]}\t')).toEqual({ a: [1] });
  });

  it('refuses every JSON value that is not an object as an invalid body', () => {
    for (const text of ['null', 'true', '0', '"text"', '[]', '[{"a":1}]', '-1e9']) {
      expect(statusOf(text)).toEqual({ type: 'urn:keyless:problem:invalid-body', status: 400 });
    }
  });

  it('refuses an empty or whitespace-only body as invalid JSON', () => {
    for (const text of ['', ' ', '\r\n\t ']) {
      expect(statusOf(text)).toEqual({ type: 'urn:keyless:problem:invalid-json', status: 400 });
    }
  });

  it('refuses malformed JSON without quoting it back', () => {
    const result = parseJsonObject('{"secret": oops');
    expect(result).toBeInstanceOf(ProblemError);
    expect(JSON.stringify((result as ProblemError).problem)).not.toContain('oops');
  });

  it('keeps __proto__ as a plain member instead of polluting the prototype', () => {
    const result = parseJsonObject('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
