/**
 * A generated corpus of hostile requests: JSON of any shape, broken JSON, invalid UTF-8, huge and
 * deeply nested bodies, prototype-pollution keys, unicode, and wrong or odd content types.
 */
import fc from 'fast-check';

const encoder = new TextEncoder();
const asBytes = (text: string) => encoder.encode(text);

const role = fc.oneof(
  fc.constantFrom('system', 'developer', 'user', 'assistant'),
  fc.string(),
  fc.anything(),
);
const content = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constant('x'.repeat(300_000)),
  fc.anything(),
);
const message = fc.oneof(
  fc.record({ role, content }),
  fc.record({ role, content }, { requiredKeys: [] }),
  fc.anything(),
);
const chatLike = fc.record(
  {
    messages: fc.oneof(fc.array(message, { maxLength: 5 }), fc.anything()),
    stream: fc.oneof(fc.boolean(), fc.anything()),
    maxTokens: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constant(Number.MAX_SAFE_INTEGER),
    ),
    input: fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 5 }),
      fc.array(message, { maxLength: 5 }),
      fc.anything(),
    ),
    // /api/responses's own members.
    instructions: fc.oneof(fc.string(), fc.anything()),
    previousResponseId: fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)),
    maxOutputTokens: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constant(Number.MAX_SAFE_INTEGER),
    ),
  },
  { requiredKeys: [] },
);

const pollutionKeys = fc
  .constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '__defineGetter__',
  )
  .map(
    (key) =>
      `{"${key}":{"polluted":true,"prototype":{"polluted":true}},"messages":[{"role":"user","content":"hi","${key}":{"polluted":true}}],"input":"x"}`,
  );

const deepNesting = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('[', '{"a":', '{"messages":'))
  .map(([depth, open]) => open.repeat(depth));

const deepButValid = fc
  .integer({ min: 1_000, max: 20_000 })
  .map(
    (depth) =>
      `{"messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  );

/** The bodies, as raw bytes. */
export const hostileBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  chatLike.map((value) => asBytes(JSON.stringify(value) ?? 'null')),
  fc.jsonValue({ maxDepth: 6 }).map((value) => asBytes(JSON.stringify(value))),
  fc
    .constantFrom(
      'null',
      'true',
      'false',
      '0',
      '-1',
      '"text"',
      '[]',
      '{}',
      ' ',
      '\n\t ',
      '',
      '{',
      '}',
      '{"messages":',
    )
    .map(asBytes),
  fc.string().map(asBytes),
  fc.string({ unit: 'grapheme' }).map(asBytes),
  fc.uint8Array({ maxLength: 2_000 }),
  pollutionKeys.map(asBytes),
  deepNesting.map(asBytes),
  deepButValid.map(asBytes),
  fc
    .uint8Array({ minLength: 1, maxLength: 20 })
    .map((bytes) =>
      Uint8Array.from([
        ...asBytes('{"messages":[{"role":"user","content":"'),
        ...bytes,
        ...asBytes('"}]}'),
      ]),
    ),
);

export const hostileContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=',
  'application/jsonx',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
);
