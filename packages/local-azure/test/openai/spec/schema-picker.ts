/**
 * Picks named schemas out of an OpenAPI description together with every schema they reach through
 * `$ref`, in the order they are reached: what the extract scripts keep of a spec.
 */
import { readFileSync } from 'node:fs';

export interface OpenApiSpec {
  info: { version: string };
  components: { schemas: Record<string, unknown> };
}

export function readSpec<T extends OpenApiSpec>(specPath: string): T {
  return JSON.parse(readFileSync(specPath, 'utf8')) as T;
}

export interface SchemaPicker {
  /** The schemas picked so far, by name. */
  picked: Record<string, unknown>;
  /** Picks the schema of that name and what it reaches. */
  pick: (name: string) => void;
  /** Picks every schema a node (an inline schema) reaches. */
  collect: (node: unknown) => void;
}

/** A `$ref` that names no schema of the spec throws, naming the ref and the spec's path. */
export function schemaPicker(spec: OpenApiSpec, specPath: string): SchemaPicker {
  const picked: Record<string, unknown> = {};
  function collect(node: unknown): void {
    if (Array.isArray(node)) return node.forEach(collect);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        if (!(name in picked)) {
          const schema = spec.components.schemas[name];
          if (schema === undefined) throw new Error(`${value} is not in ${specPath}`);
          picked[name] = schema;
          collect(schema);
        }
      } else {
        collect(value);
      }
    }
  }
  return { picked, collect, pick: (name) => collect({ $ref: `#/components/schemas/${name}` }) };
}
