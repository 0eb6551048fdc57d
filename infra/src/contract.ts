import {
  ObjectTypePropertyFlags,
  ScopeType,
  TypeBaseKind,
  TypeFactory,
  writeMarkdown,
  type BicepType,
  type ObjectType,
  type ObjectTypeProperty,
  type TypeReference,
} from 'bicep-types';
import type { ServiceKind } from '@keyless/roles';
import { serviceSymbol, serviceVariablePrefix, type Service } from './services.ts';

/**
 * The infra contract, modelled with bicep-types: what main.bicep takes (parameters, and the azd
 * variable each is read from), what it gives back (outputs, named as the variables the services
 * read), and the environment each kind of Container App receives. The checks compare the Bicep with
 * this model, and REFERENCE.md is written from it.
 */

type ParameterSpec = {
  readonly name: string;
  readonly type: 'string' | 'int' | 'bool';
  readonly description: string;
  /** The value in main.parameters.json (azd substitutes `${VAR}` and `${VAR=default}`). */
  readonly azd: string | number;
  readonly required?: boolean;
  readonly allowed?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minValue?: number;
};

const principalTypes = ['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'];

const sharedParameters: readonly ParameterSpec[] = [
  {
    name: 'environmentName',
    type: 'string',
    required: true,
    minLength: 1,
    maxLength: 64,
    azd: '${AZURE_ENV_NAME}',
    description:
      'Name of the azd environment; names the resource group and seeds every resource name.',
  },
  {
    name: 'location',
    type: 'string',
    required: true,
    minLength: 1,
    azd: '${AZURE_LOCATION}',
    description: 'Azure region for every resource.',
  },
  {
    name: 'principalId',
    type: 'string',
    azd: '${AZURE_PRINCIPAL_ID}',
    description:
      'Object id of the developer (or CI principal) running azd; gets the data roles so local runs against Azure work. Empty grants nothing.',
  },
  {
    name: 'principalType',
    type: 'string',
    allowed: principalTypes,
    azd: '${AZURE_PRINCIPAL_TYPE=User}',
    description:
      'Type of principalId: User for a developer, ServicePrincipal in CI (else UnmatchedPrincipalType).',
  },
  {
    name: 'openAiPublicNetworkAccess',
    type: 'string',
    allowed: ['Enabled', 'Disabled'],
    azd: '${AZURE_OPENAI_PUBLIC_NETWORK_ACCESS=Enabled}',
    description: 'Public network access to the Azure OpenAI account.',
  },
  {
    name: 'chatDeploymentName',
    type: 'string',
    azd: '${AZURE_OPENAI_CHAT_DEPLOYMENT=gpt-4o-mini}',
    description: 'Chat deployment name (AZURE_OPENAI_CHAT_DEPLOYMENT).',
  },
  {
    name: 'chatModelName',
    type: 'string',
    azd: '${AZURE_OPENAI_CHAT_MODEL=gpt-4o-mini}',
    description: 'Chat model name.',
  },
  {
    name: 'chatModelVersion',
    type: 'string',
    azd: '${AZURE_OPENAI_CHAT_MODEL_VERSION=2024-07-18}',
    description: 'Chat model version.',
  },
  {
    name: 'chatDeploymentSku',
    type: 'string',
    azd: '${AZURE_OPENAI_CHAT_SKU=GlobalStandard}',
    description: 'Chat deployment SKU.',
  },
  {
    name: 'chatDeploymentCapacity',
    type: 'int',
    minValue: 1,
    azd: 30,
    description: 'Chat deployment capacity, in thousands of tokens per minute.',
  },
  {
    name: 'embeddingDeploymentName',
    type: 'string',
    azd: '${AZURE_OPENAI_EMBEDDING_DEPLOYMENT=text-embedding-3-small}',
    description: 'Embedding deployment name (AZURE_OPENAI_EMBEDDING_DEPLOYMENT).',
  },
  {
    name: 'embeddingModelName',
    type: 'string',
    azd: '${AZURE_OPENAI_EMBEDDING_MODEL=text-embedding-3-small}',
    description: 'Embedding model name.',
  },
  {
    name: 'embeddingModelVersion',
    type: 'string',
    azd: '${AZURE_OPENAI_EMBEDDING_MODEL_VERSION=1}',
    description: 'Embedding model version.',
  },
  {
    name: 'embeddingDeploymentSku',
    type: 'string',
    azd: '${AZURE_OPENAI_EMBEDDING_SKU=Standard}',
    description: 'Embedding deployment SKU.',
  },
  {
    name: 'embeddingDeploymentCapacity',
    type: 'int',
    minValue: 1,
    azd: 30,
    description: 'Embedding deployment capacity, in thousands of tokens per minute.',
  },
  {
    name: 'openAiApiVersion',
    type: 'string',
    azd: '${AZURE_OPENAI_API_VERSION=}',
    description: 'Dated Azure OpenAI API version for the services; empty uses the v1 API.',
  },
];

function serviceParameters(service: Service): ParameterSpec[] {
  const variable = `${serviceVariablePrefix(service.name)}_IMAGE_NAME`;
  return [
    {
      name: `${serviceSymbol(service.name)}ImageName`,
      type: 'string',
      azd: `\${${variable}=}`,
      description: `Image of the ${service.name} service; azd sets ${variable} after the first deploy.`,
    },
  ];
}

const sharedOutputs: Readonly<Record<string, string>> = {
  AZURE_LOCATION: 'Region of the deployment (azd reads it).',
  AZURE_TENANT_ID: 'Tenant of the deployment.',
  AZURE_RESOURCE_GROUP: 'The resource group holding everything.',
  AZURE_OPENAI_ENDPOINT:
    'https://ACCOUNT.openai.azure.com (no trailing slash); the services read it.',
  AZURE_OPENAI_CHAT_DEPLOYMENT: 'Chat deployment name; the services read it.',
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'Embedding deployment name; the services read it.',
  AZURE_STORAGE_QUEUE_ENDPOINT: 'Queue endpoint of the storage account (no key, no SAS).',
  AZURE_STORAGE_BLOB_ENDPOINT: 'Blob endpoint of the storage account (no key, no SAS).',
  AZURE_CONTAINER_REGISTRY_ENDPOINT: 'Login server azd pushes images to.',
  AZURE_CONTAINER_REGISTRY_NAME: 'Name of the container registry.',
  AZURE_CONTAINER_APPS_ENVIRONMENT_NAME: 'Name of the Container Apps environment.',
};

function serviceOutputs(service: Service): Record<string, string> {
  const prefix = serviceVariablePrefix(service.name);
  return {
    [`${prefix}_IDENTITY_CLIENT_ID`]: `Client id of id-${service.name}, the ${service.name} service's identity (its AZURE_CLIENT_ID in Azure).`,
    [`${prefix}_NAME`]: `Name of the ${service.name} Container App.`,
    ...(service.kind === 'api'
      ? { [`${prefix}_URI`]: `https URL of the ${service.name} service.` }
      : {}),
  };
}

/** Variables a Container App of each kind receives; optional ones are set only when configured. */
const serviceEnvironment: Record<
  ServiceKind,
  Readonly<Record<string, { description: string; optional?: boolean }>>
> = {
  api: {
    AZURE_CLIENT_ID: { description: "Client id of the service's own user-assigned identity." },
    AZURE_OPENAI_ENDPOINT: { description: 'Same as the output.' },
    AZURE_OPENAI_CHAT_DEPLOYMENT: { description: 'Same as the output.' },
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: { description: 'Same as the output.' },
    AZURE_OPENAI_API_VERSION: { description: 'Only when openAiApiVersion is set.', optional: true },
    PORT: { description: "The service's keyless.port." },
  },
  worker: {
    AZURE_CLIENT_ID: { description: "Client id of the service's own user-assigned identity." },
    AZURE_OPENAI_ENDPOINT: { description: 'Same as the output.' },
    AZURE_OPENAI_CHAT_DEPLOYMENT: { description: 'Same as the output.' },
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: { description: 'Same as the output.' },
    AZURE_OPENAI_API_VERSION: { description: 'Only when openAiApiVersion is set.', optional: true },
    AZURE_STORAGE_QUEUE_ENDPOINT: { description: 'Same as the output.' },
    AZURE_STORAGE_BLOB_ENDPOINT: { description: 'Same as the output.' },
    PORT: { description: "The service's keyless.port (health probes)." },
  },
};

/** Variables the services read that the infra does not set: the platform does, or only local runs need them. */
export const variablesNotFromInfra: Readonly<Record<string, string>> = {
  IDENTITY_ENDPOINT: 'set by Container Apps for the managed identity',
  IDENTITY_HEADER: 'set by Container Apps for the managed identity',
  NODE_EXTRA_CA_CERTS: 'local stack only (Azurite certificate)',
};

export const mainResourceName = 'keyless-starter/main.bicep@1';
export const serviceResourceName = (kind: ServiceKind) => `keyless-starter/service.${kind}@1`;

function addParameterType(factory: TypeFactory, spec: ParameterSpec): TypeReference {
  if (spec.type === 'int') return factory.addIntegerType(spec.minValue);
  if (spec.type === 'bool') return factory.addBooleanType();
  if (spec.allowed)
    return factory.addUnionType(spec.allowed.map((value) => factory.addStringLiteralType(value)));
  return factory.addStringType(undefined, spec.minLength, spec.maxLength);
}

/** Builds the contract for the services apps/ declares, as bicep-types types. */
export function buildContract(services: readonly Service[]): TypeFactory {
  const factory = new TypeFactory();
  const string = factory.addStringType();
  const parameters: Record<string, ObjectTypeProperty> = {};
  for (const spec of [...sharedParameters, ...services.flatMap(serviceParameters)]) {
    parameters[spec.name] = {
      type: addParameterType(factory, spec),
      flags:
        (spec.required ? ObjectTypePropertyFlags.Required : ObjectTypePropertyFlags.None) |
        ObjectTypePropertyFlags.WriteOnly,
      description: `${spec.description} azd: \`${String(spec.azd)}\``,
    };
  }
  const outputs: Record<string, ObjectTypeProperty> = {};
  for (const [name, description] of Object.entries({
    ...sharedOutputs,
    ...Object.assign({}, ...services.map(serviceOutputs)),
  } as Record<string, string>)) {
    outputs[name] = { type: string, flags: ObjectTypePropertyFlags.ReadOnly, description };
  }
  const body = factory.addObjectType('main.bicep', {
    parameters: {
      type: factory.addObjectType('main.bicep parameters', parameters),
      flags: ObjectTypePropertyFlags.Required | ObjectTypePropertyFlags.WriteOnly,
      description: 'main.parameters.json, filled in by azd from its environment.',
    },
    outputs: {
      type: factory.addObjectType('main.bicep outputs', outputs),
      flags: ObjectTypePropertyFlags.ReadOnly,
      description: 'Stored by azd in its environment; the postprovision hook writes them to .env.',
    },
  });
  factory.addResourceType(mainResourceName, body, ScopeType.Subscription, ScopeType.Subscription);
  for (const kind of Object.keys(serviceEnvironment) as ServiceKind[]) {
    const variables: Record<string, ObjectTypeProperty> = {};
    for (const [name, spec] of Object.entries(serviceEnvironment[kind])) {
      variables[name] = {
        type: string,
        flags: spec.optional ? ObjectTypePropertyFlags.None : ObjectTypePropertyFlags.Required,
        description: spec.description,
      };
    }
    factory.addResourceType(
      serviceResourceName(kind),
      factory.addObjectType(`${kind} service environment`, variables),
      ScopeType.ResourceGroup,
      ScopeType.ResourceGroup,
    );
  }
  return factory;
}

function resourceBody(types: readonly BicepType[], name: string): ObjectType {
  const resource = types.find(
    (type) => type.type === TypeBaseKind.ResourceType && type.name === name,
  );
  const body =
    resource?.type === TypeBaseKind.ResourceType ? types[resource.body.index] : undefined;
  if (body?.type !== TypeBaseKind.ObjectType)
    throw new Error(`contract has no resource type ${name}`);
  return body;
}

function objectAt(types: readonly BicepType[], reference: TypeReference | undefined): ObjectType {
  const type = reference === undefined ? undefined : types[reference.index];
  if (type?.type !== TypeBaseKind.ObjectType)
    throw new Error('contract property is not an object type');
  return type;
}

/** A parameter as the contract expects to see it declared in Bicep. */
export interface ExpectedParameter {
  readonly name: string;
  readonly bicepType: 'string' | 'int' | 'bool';
  readonly required: boolean;
  readonly allowed: readonly string[] | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly minValue: number | undefined;
  readonly description: string;
  readonly azd: string | number;
}

/** Reads the parameters back out of the bicep-types model (the checks use this, not the specs above). */
export function expectedParameters(types: readonly BicepType[]): ExpectedParameter[] {
  const parameters = objectAt(
    types,
    resourceBody(types, mainResourceName).properties['parameters']?.type,
  );
  return Object.entries(parameters.properties).map(([name, property]) => {
    const type = types[property.type.index];
    const [description = '', azdText = ''] = (property.description ?? '').split(' azd: ');
    const azdValue = azdText.replace(/^`|`$/g, '');
    const base = {
      name,
      required: (property.flags & ObjectTypePropertyFlags.Required) !== 0,
      description,
      azd: /^\d+$/.test(azdValue) ? Number(azdValue) : azdValue,
      allowed: undefined,
      minLength: undefined,
      maxLength: undefined,
      minValue: undefined,
    };
    switch (type?.type) {
      case TypeBaseKind.IntegerType:
        return { ...base, bicepType: 'int' as const, minValue: type.minValue };
      case TypeBaseKind.BooleanType:
        return { ...base, bicepType: 'bool' as const };
      case TypeBaseKind.UnionType:
        return {
          ...base,
          bicepType: 'string' as const,
          allowed: type.elements.map((element) => {
            const literalType = types[element.index];
            return literalType?.type === TypeBaseKind.StringLiteralType ? literalType.value : '';
          }),
        };
      case TypeBaseKind.StringType:
        return {
          ...base,
          bicepType: 'string' as const,
          minLength: type.minLength,
          maxLength: type.maxLength,
        };
      default:
        throw new Error(`contract parameter ${name} has a type the checks do not map to Bicep`);
    }
  });
}

/** Output names the contract requires of main.bicep. */
export function expectedOutputs(types: readonly BicepType[]): string[] {
  return Object.keys(
    objectAt(types, resourceBody(types, mainResourceName).properties['outputs']?.type).properties,
  );
}

/** Environment variables a Container App of the kind must (required) or may receive. */
export function expectedEnvironment(
  types: readonly BicepType[],
  kind: ServiceKind,
): { name: string; required: boolean }[] {
  return Object.entries(resourceBody(types, serviceResourceName(kind)).properties).map(
    ([name, property]) => ({
      name,
      required: (property.flags & ObjectTypePropertyFlags.Required) !== 0,
    }),
  );
}

export const referenceHeader =
  '<!-- Generated from infra/src/contract.ts by `npm run reference:sync -w @keyless/infra`; do not edit by hand. -->';

/** REFERENCE.md: the contract through bicep-types' markdown writer, formatted like the rest of the repo. */
export async function renderReference(services: readonly Service[]): Promise<string> {
  const { format } = await import('prettier');
  const markdown = writeMarkdown(buildContract(services).types, 'keyless-starter infra reference');
  return format(`${referenceHeader}\n\n${markdown}`, {
    parser: 'markdown',
    singleQuote: true,
    printWidth: 100,
  });
}
