/** Checks bodies against the schemas an extract script kept (`*.schemas.json` beside this file). */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import { toJsonSchema } from './json-schema.ts';

/** What both Ajv and Ajv2020 offer; the caller picks the JSON Schema draft of its spec. */
interface SchemaStore {
  addSchema(schema: object): unknown;
  getSchema(keyRef: string): ValidateFunction | undefined;
}

export interface SpecValidator {
  /** The validator of a named schema; throws when the extracted spec has none of that name. */
  validator: (name: string) => ValidateFunction;
  /** Expects the body to be valid, showing Ajv's errors when it is not. */
  expectValid: (name: string, body: unknown) => void;
}

export function specValidator(ajv: SchemaStore, id: string, schemasFile: URL): SpecValidator {
  const spec = JSON.parse(readFileSync(schemasFile, 'utf8')) as { components: unknown };
  ajv.addSchema(toJsonSchema({ $id: id, components: spec.components }) as object);

  function validator(name: string): ValidateFunction {
    const validate = ajv.getSchema(`${id}#/components/schemas/${name}`);
    if (!validate) throw new Error(`No schema ${name} in the extracted spec`);
    return validate;
  }

  function expectValid(name: string, body: unknown): void {
    const validate = validator(name);
    expect(validate(body) ? [] : validate.errors, name).toEqual([]);
  }

  return { validator, expectValid };
}
