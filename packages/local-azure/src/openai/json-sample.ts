/** A JSON Schema as a request carries it (structured outputs, function parameters): only what sampling reads. */
type Schema = Record<string, unknown>;

const maxDepth = 32;

const fixedFormats: Record<string, string> = {
  'date-time': '1970-01-01T00:00:00Z',
  date: '1970-01-01',
  time: '00:00:00Z',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * The emulator's deterministic value for a JSON Schema: the first `const`/`enum` value, the first
 * `anyOf`/`oneOf` branch, every property of an object, the fewest items an array may have (at
 * least one), the lowest number allowed, `true`, and `text` for strings (within their length
 * bounds). Enough of JSON Schema for structured outputs and function parameters, which OpenAI
 * restricts to this subset in strict mode.
 */
export function sampleJson(
  schema: unknown,
  text: string,
  root: unknown = schema,
  depth = 0,
): unknown {
  // A recursive schema ($ref to itself) would never end; past this depth the value is null.
  if (depth > maxDepth) return null;
  if (typeof schema !== 'object' || schema === null) return text;
  const next = (child: unknown): unknown => sampleJson(child, text, root, depth + 1);
  const node = schema as Schema;
  if (typeof node.$ref === 'string') return next(resolve(root, node.$ref));
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    return next(branches[0]);
  }
  if (Array.isArray(node.allOf)) {
    return Object.assign({}, ...node.allOf.map(next));
  }
  const declared: unknown = node.type;
  const types: unknown[] = Array.isArray(declared) ? declared : [declared];
  const type =
    types.find((candidate) => typeof candidate === 'string' && candidate !== 'null') ??
    (types.includes('null') ? 'null' : node.properties ? 'object' : 'string');
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries((node.properties ?? {}) as Record<string, unknown>).map(([key, value]) => [
          key,
          next(value),
        ]),
      );
    case 'array': {
      const min = typeof node.minItems === 'number' ? node.minItems : 1;
      const max = typeof node.maxItems === 'number' ? node.maxItems : Math.max(min, 1);
      return Array.from({ length: Math.min(Math.max(min, 1), max) }, () => next(node.items ?? {}));
    }
    case 'integer':
    case 'number':
      return lowestNumber(node, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(node, text);
  }
}

function sampleString(node: Schema, text: string): string {
  const fixed = typeof node.format === 'string' ? fixedFormats[node.format] : undefined;
  let value = fixed ?? text;
  if (typeof node.maxLength === 'number') value = value.slice(0, node.maxLength);
  if (typeof node.minLength === 'number' && value.length < node.minLength) {
    value = value.padEnd(node.minLength, '.');
  }
  return value;
}

function lowestNumber(node: Schema, integer: boolean): number {
  let value = 0;
  if (typeof node.minimum === 'number') value = node.minimum;
  if (typeof node.exclusiveMinimum === 'number')
    value = node.exclusiveMinimum + (integer ? 1 : 0.5);
  if (typeof node.maximum === 'number' && value > node.maximum) value = node.maximum;
  return integer ? Math.ceil(value) : value;
}

/** Resolves a local `$ref` (`#/$defs/x`, `#/definitions/x`) against the root schema. */
function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return {};
  let current: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    if (typeof current !== 'object' || current === null) return {};
    current = (current as Schema)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return current ?? {};
}
