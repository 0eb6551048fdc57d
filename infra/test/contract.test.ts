import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectTypePropertyFlags, readTypesJson, TypeBaseKind, writeTypesJson } from 'bicep-types';
import { describe, expect, it } from 'vitest';
import {
  buildContract,
  expectedEnvironment,
  expectedOutputs,
  expectedParameters,
  renderReference,
} from '../src/contract.ts';
import { discoverServices } from '../src/services.ts';
import { copyRepo, edit, findingsOf, infraDir, repoRoot } from './fixture.ts';

const services = discoverServices(repoRoot);
const messages = (copy: ReturnType<typeof copyRepo>) =>
  findingsOf(copy, 'contract').map((finding) => finding.message);

describe('the bicep-types contract model', () => {
  it('holds a per-service image parameter and identity output for each service in apps/', () => {
    const types = buildContract(services).types;
    expect(expectedParameters(types).map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['environmentName', 'apiImageName', 'workerImageName']),
    );
    expect(expectedOutputs(types)).toEqual(
      expect.arrayContaining([
        'AZURE_OPENAI_ENDPOINT',
        'SERVICE_API_IDENTITY_CLIENT_ID',
        'SERVICE_API_URI',
        'SERVICE_WORKER_IDENTITY_CLIENT_ID',
      ]),
    );
    expect(expectedOutputs(types)).not.toContain('SERVICE_WORKER_URI');
  });

  it('reads parameter constraints back out of the bicep-types types', () => {
    const parameters = expectedParameters(buildContract(services).types);
    expect(parameters.find((parameter) => parameter.name === 'environmentName')).toMatchObject({
      bicepType: 'string',
      required: true,
      minLength: 1,
      maxLength: 64,
      azd: '${AZURE_ENV_NAME}',
    });
    expect(parameters.find((parameter) => parameter.name === 'principalType')).toMatchObject({
      allowed: ['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'],
      azd: '${AZURE_PRINCIPAL_TYPE=User}',
      required: false,
    });
    expect(
      parameters.find((parameter) => parameter.name === 'chatDeploymentCapacity'),
    ).toMatchObject({ bicepType: 'int', minValue: 1, azd: 30 });
  });

  it('survives a round trip through the bicep-types JSON format', () => {
    const types = buildContract(services).types;
    const restored = readTypesJson(writeTypesJson(types));
    expect(expectedParameters(restored)).toEqual(expectedParameters(types));
    expect(expectedOutputs(restored)).toEqual(expectedOutputs(types));
  });

  it('marks the storage endpoints required for workers and absent for apis', () => {
    const types = buildContract(services).types;
    expect(expectedEnvironment(types, 'worker')).toContainEqual({
      name: 'AZURE_STORAGE_QUEUE_ENDPOINT',
      required: true,
    });
    expect(expectedEnvironment(types, 'api').map((variable) => variable.name)).not.toContain(
      'AZURE_STORAGE_QUEUE_ENDPOINT',
    );
    expect(expectedEnvironment(types, 'api')).toContainEqual({
      name: 'AZURE_OPENAI_API_VERSION',
      required: false,
    });
  });

  it('flags outputs read-only and required parameters required', () => {
    const types = buildContract(services).types;
    const outputs = types.find(
      (type) => type.type === TypeBaseKind.ObjectType && type.name === 'main.bicep outputs',
    );
    expect(
      outputs?.type === TypeBaseKind.ObjectType &&
        outputs.properties['AZURE_OPENAI_ENDPOINT']?.flags,
    ).toBe(ObjectTypePropertyFlags.ReadOnly);
  });
});

describe('contract check', () => {
  it('keeps REFERENCE.md generated from the model (npm run reference:sync -w @keyless/infra)', async () => {
    expect(readFileSync(join(infraDir, 'REFERENCE.md'), 'utf8')).toBe(
      await renderReference(services),
    );
  });

  it('reports an output renamed away from the variable the services read', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.bicep',
      'output AZURE_OPENAI_ENDPOINT string',
      'output OPENAI_ENDPOINT string',
    );
    const found = messages(copy);
    expect(found).toContainEqual(
      expect.stringContaining("output 'AZURE_OPENAI_ENDPOINT' is missing"),
    );
    expect(found).toContainEqual(
      expect.stringContaining("output 'OPENAI_ENDPOINT' is not in the contract (misnamed?)"),
    );
  });

  it('reports a parameter missing from main.parameters.json', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.parameters.json',
      '"principalType": {\n      "value": "${AZURE_PRINCIPAL_TYPE=User}"\n    },\n',
      '',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        `parameter 'principalType' is missing; add "principalType": { "value": "\${AZURE_PRINCIPAL_TYPE=User}" }`,
      ),
    );
  });

  it('reports main.parameters.json feeding a parameter from the wrong variable', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.parameters.json',
      '${AZURE_PRINCIPAL_TYPE=User}',
      '${AZURE_PRINCIPAL_TYPE=ServicePrincipal}',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        `parameter 'principalType' has value "\${AZURE_PRINCIPAL_TYPE=ServicePrincipal}"`,
      ),
    );
  });

  it('reports a parameter in main.parameters.json that main.bicep does not declare', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.parameters.json',
      '"parameters": {',
      '"parameters": {\n    "openAiKey": { "value": "" },',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("parameter 'openAiKey' is not declared in main.bicep"),
    );
  });

  it('reports a Bicep parameter whose constraints drift from the model', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/main.bicep', '@maxLength(64)\n', '');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        "parameter 'environmentName' has @maxLength missing, the contract says 64",
      ),
    );
  });

  it('reports a parameter the model does not know', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.bicep',
      'var catalogue',
      "param extra string = ''\n\nvar catalogue",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("parameter 'extra' is not in the contract"),
    );
  });
});
