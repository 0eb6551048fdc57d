import type { BicepType } from 'bicep-types';
import { decoratorArgument, literal } from '../bicep/query.ts';
import type { ParameterDeclaration } from '../bicep/syntax.ts';
import { expectedOutputs, expectedParameters, type ExpectedParameter } from '../contract.ts';
import type { Finding } from '../findings.ts';
import type { Infra } from '../infra-files.ts';

function parameterMismatches(
  declared: ParameterDeclaration,
  expected: ExpectedParameter,
): string[] {
  const problems: string[] = [];
  const typeName = declared.type.isArray ? `${declared.type.name}[]` : declared.type.name;
  if (typeName !== expected.bicepType)
    problems.push(`type ${typeName}, the contract says ${expected.bicepType}`);
  const required = declared.defaultValue === undefined;
  if (required !== expected.required) {
    problems.push(
      expected.required
        ? 'a default value, the contract says it is required'
        : 'no default value, the contract says it is optional',
    );
  }
  const decorator = (name: string) => {
    const argument = decoratorArgument(declared.decorators, name);
    return argument === null ? undefined : literal(argument ?? undefined);
  };
  const comparisons: [string, unknown, unknown][] = [
    ['@allowed', decorator('allowed'), expected.allowed],
    ['@minLength', decorator('minLength'), expected.minLength],
    ['@maxLength', decorator('maxLength'), expected.maxLength],
    ['@minValue', decorator('minValue'), expected.minValue],
    ['@description', decorator('description'), expected.description],
  ];
  for (const [name, actual, wanted] of comparisons) {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      problems.push(
        `${name} ${JSON.stringify(actual) ?? 'missing'}, the contract says ${JSON.stringify(wanted) ?? 'none'}`,
      );
    }
  }
  return problems;
}

/**
 * main.bicep's parameters and outputs match the bicep-types contract (src/contract.ts), and
 * main.parameters.json feeds every parameter exactly the azd variable the contract names.
 */
export function checkContract(infra: Infra, types: readonly BicepType[]): Finding[] {
  const findings: Finding[] = [];
  const report = (file: string, line: number | undefined, message: string) =>
    findings.push({ check: 'contract', file, ...(line ? { line } : {}), message });
  const fix =
    'update main.bicep or infra/src/contract.ts (then npm run reference:sync -w @keyless/infra)';
  const parameters = expectedParameters(types);
  for (const expected of parameters) {
    const declared = infra.main.params.find((param) => param.name === expected.name);
    if (declared === undefined) {
      report(
        'main.bicep',
        undefined,
        `parameter '${expected.name}' is in the contract but not declared; ${fix}.`,
      );
      continue;
    }
    for (const problem of parameterMismatches(declared, expected)) {
      report('main.bicep', declared.line, `parameter '${expected.name}' has ${problem}; ${fix}.`);
    }
  }
  for (const declared of infra.main.params) {
    if (!parameters.some((expected) => expected.name === declared.name)) {
      report(
        'main.bicep',
        declared.line,
        `parameter '${declared.name}' is not in the contract; ${fix}.`,
      );
    }
  }
  const outputs = expectedOutputs(types);
  for (const name of outputs) {
    const declared = infra.main.outputs.find((output) => output.name === name);
    if (declared === undefined) {
      report(
        'main.bicep',
        undefined,
        `output '${name}' is missing (services and azd read exactly this name); ${fix}.`,
      );
    } else if (declared.type.name !== 'string' || declared.type.isArray) {
      report(
        'main.bicep',
        declared.line,
        `output '${name}' has type ${declared.type.name}; environment variables are strings.`,
      );
    }
  }
  for (const declared of infra.main.outputs) {
    if (!outputs.includes(declared.name)) {
      report(
        'main.bicep',
        declared.line,
        `output '${declared.name}' is not in the contract (misnamed?); ${fix}.`,
      );
    }
  }
  const file =
    (infra.parametersJson as { parameters?: Record<string, { value?: unknown }> } | null)
      ?.parameters ?? {};
  for (const expected of parameters) {
    const entry = file[expected.name];
    if (entry === undefined) {
      report(
        'main.parameters.json',
        undefined,
        `parameter '${expected.name}' is missing; add "${expected.name}": { "value": ${JSON.stringify(expected.azd)} }.`,
      );
    } else if (entry.value !== expected.azd) {
      report(
        'main.parameters.json',
        undefined,
        `parameter '${expected.name}' has value ${JSON.stringify(entry.value)}; the contract says ${JSON.stringify(expected.azd)}.`,
      );
    }
  }
  for (const name of Object.keys(file)) {
    if (!infra.main.params.some((param) => param.name === name)) {
      report(
        'main.parameters.json',
        undefined,
        `parameter '${name}' is not declared in main.bicep (ARM rejects unknown parameters); remove it or declare it.`,
      );
    }
  }
  return findings;
}
