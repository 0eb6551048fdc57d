import { describe, expect, it } from 'vitest';
import { sampleJson } from './json-sample.ts';

describe('sampleJson', () => {
  it('fills every property: first enum value, lowest allowed number, true, one item, the text for strings', () => {
    expect(
      sampleJson(
        {
          type: 'object',
          properties: {
            name: { type: 'string' },
            kind: { enum: ['a', 'b'] },
            count: { type: 'integer', exclusiveMinimum: 3 },
            ok: { type: 'boolean' },
            tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
            when: { type: 'string', format: 'date' },
            maybe: { type: ['null', 'number'], minimum: 1.5 },
          },
        },
        'hello',
      ),
    ).toEqual({
      name: 'hello',
      kind: 'a',
      count: 4,
      ok: true,
      tags: ['hel'],
      when: '1970-01-01',
      maybe: 1.5,
    });
  });

  it('ends a recursive schema instead of recursing forever', () => {
    const tree = {
      type: 'object',
      properties: { child: { $ref: '#' } },
    };
    const value = sampleJson(tree, 'x');
    let depth = 0;
    let node = value as { child?: unknown } | null;
    while (node && typeof node === 'object') {
      node = node.child as { child?: unknown } | null;
      depth += 1;
    }
    expect(node).toBeNull();
    expect(depth).toBeGreaterThan(1);
  });
});
