import type { BicepType } from 'bicep-types';
import { bodyObject, literal, property, render } from '../bicep/query.ts';
import type {
  BicepFile,
  Expression,
  ModuleDeclaration,
  ObjectExpression,
} from '../bicep/syntax.ts';
import { expectedEnvironment } from '../contract.ts';
import type { Finding } from '../findings.ts';
import { resolveModulePath, type Infra } from '../infra-files.ts';
import { checkAzureYaml, serviceSymbol, type Service } from '../services.ts';
import { catalogueReference, grantsPath, moduleCalls } from './role-assignments.ts';

const identityPath = 'core/security/managed-identity.bicep';
const containerAppPath = 'core/host/container-app.bicep';
export const maxServiceNameLength = 32 - 'ca-'.length - '-'.length - 13;

/** `[ {name, value}, ... ]`, or the literal arrays inside `concat([...], extra)`: the env entries written out. */
function environmentEntries(expression: Expression | undefined): ObjectExpression[] {
  if (expression?.kind === 'array')
    return expression.items.filter((item) => item.kind === 'object');
  if (expression?.kind === 'call' && expression.name === 'concat')
    return expression.args.flatMap(environmentEntries);
  if (expression?.kind === 'ternary')
    return [
      ...environmentEntries(expression.whenTrue),
      ...environmentEntries(expression.whenFalse),
    ];
  if (expression?.kind === 'identifier') return [];
  return [];
}

function params(module: ModuleDeclaration): ObjectExpression | undefined {
  const value = property(bodyObject(module.value), 'params');
  return value?.kind === 'object' ? value : undefined;
}

/** The identity, grants and Container App a kind module (app/<kind>.bicep) must wire together. */
function checkKindModule(
  file: BicepFile,
  kind: Service['kind'],
  types: readonly BicepType[],
): string[] {
  const problems: string[] = [];
  const [identity] = moduleCalls(file, identityPath);
  if (identity === undefined)
    return [`it declares no ${identityPath} module (one user-assigned identity per service)`];
  const identityName = render(property(params(identity), 'name'));
  if (!identityName.startsWith("'id-${serviceName}")) {
    problems.push(
      `its identity is named ${identityName}; name it 'id-\${serviceName}-...' (the local stack's id-<service>)`,
    );
  }
  const [grants] = moduleCalls(file, grantsPath);
  const grantsReference = grants && catalogueReference(file, property(params(grants), 'grants'));
  if (grants === undefined || grantsReference !== `grantsByKind.${kind}`) {
    problems.push(
      `it must call ${grantsPath} with grants: catalogue.grantsByKind.${kind} (found ${grants ? render(property(params(grants), 'grants')) : 'no call'})`,
    );
  } else if (
    render(property(params(grants), 'principalId')) !== `${identity.symbol}.outputs.principalId`
  ) {
    problems.push(`its grants must go to ${identity.symbol}.outputs.principalId`);
  }
  const [app] = moduleCalls(file, containerAppPath);
  if (app === undefined) return [...problems, `it declares no ${containerAppPath} module`];
  const appParams = params(app);
  if (render(property(appParams, 'identityId')) !== `${identity.symbol}.outputs.id`) {
    problems.push(`its Container App must run as ${identity.symbol}.outputs.id`);
  }
  const dependsOn = property(bodyObject(app.value), 'dependsOn');
  if (
    grants &&
    !(dependsOn?.kind === 'array' && dependsOn.items.some((item) => render(item) === grants.symbol))
  ) {
    problems.push(
      `its Container App must dependsOn ${grants.symbol} (AcrPull before the first image pull)`,
    );
  }
  const env = environmentEntries(property(appParams, 'env'));
  const envValue = (name: string) => env.find((entry) => literal(property(entry, 'name')) === name);
  for (const variable of expectedEnvironment(types, kind)) {
    if (variable.name === 'PORT') continue; // container-app.bicep adds PORT from `port` itself.
    if (variable.required && envValue(variable.name) === undefined) {
      problems.push(`its Container App env lacks ${variable.name}`);
    }
  }
  const clientId = render(property(envValue('AZURE_CLIENT_ID'), 'value'));
  if (clientId !== `${identity.symbol}.outputs.clientId`) {
    problems.push(`AZURE_CLIENT_ID is ${clientId}; it must be ${identity.symbol}.outputs.clientId`);
  }
  for (const entry of env) {
    const name = literal(property(entry, 'name'));
    if (!expectedEnvironment(types, kind).some((variable) => variable.name === name)) {
      problems.push(
        `its env sets ${render(property(entry, 'name'))}, which the contract does not list for kind ${kind}`,
      );
    }
  }
  const ingress = literal(property(appParams, 'externalIngress'));
  if (kind === 'api' && ingress !== true) problems.push('an api has externalIngress: true');
  if (kind === 'worker') {
    if (ingress !== false) problems.push('a worker has externalIngress: false (no ingress)');
    if (literal(property(appParams, 'minReplicas')) !== 0)
      problems.push('a worker scales to zero (minReplicas: 0)');
    const rules = property(appParams, 'scaleRules');
    const queueRule =
      rules?.kind === 'array'
        ? rules.items
            .map((item) => property(item.kind === 'object' ? item : undefined, 'azureQueue'))
            .find((rule) => rule !== undefined)
        : undefined;
    const queueRuleObject = queueRule?.kind === 'object' ? queueRule : undefined;
    if (queueRuleObject === undefined) {
      problems.push('a worker scales on an azureQueue rule');
    } else {
      if (render(property(queueRuleObject, 'identity')) !== `${identity.symbol}.outputs.id`) {
        problems.push(
          `its azureQueue scale rule must authenticate with identity: ${identity.symbol}.outputs.id`,
        );
      }
      if (property(queueRuleObject, 'auth') !== undefined) {
        problems.push('its azureQueue scale rule has auth (a secret reference); use identity only');
      }
      if (catalogueReference(file, property(queueRuleObject, 'queueName')) !== 'queues.jobs') {
        problems.push('its azureQueue scale rule must watch catalogue.queues.jobs');
      }
      if (property(queueRuleObject, 'accountName') === undefined) {
        problems.push(
          'its azureQueue scale rule needs accountName (required with a managed identity)',
        );
      }
    }
  }
  return problems;
}

/** The generic Container App pulls with the service identity and probes /healthz and /readyz. */
function checkContainerApp(file: BicepFile | undefined): string[] {
  if (file === undefined) return [`${containerAppPath} is missing`];
  const problems: string[] = [];
  const app = file.resources.find((resource) => resource.type === 'Microsoft.App/containerApps');
  const body = bodyObject(app?.value ?? { kind: 'null', line: 0 });
  if (literal(property(body, 'identity.type')) !== 'UserAssigned')
    problems.push('identity.type must be UserAssigned');
  const registries = property(body, 'properties.configuration.registries');
  const registry = registries?.kind === 'array' ? registries.items[0] : undefined;
  if (
    registry?.kind !== 'object' ||
    render(property(registry, 'identity')) !== 'identityId' ||
    property(registry, 'passwordSecretRef') !== undefined
  ) {
    problems.push(
      'registries must be [{ server, identity: identityId }] (AcrPull with the service identity, no password)',
    );
  }
  const defaults: Record<string, string> = { livenessPath: '/healthz', readinessPath: '/readyz' };
  for (const [name, path] of Object.entries(defaults)) {
    const param = file.params.find((candidate) => candidate.name === name);
    if (literal(param?.defaultValue) !== path)
      problems.push(`parameter ${name} must default to '${path}'`);
  }
  const probes = file.variables.find((variable) => variable.name === 'probes')?.value;
  const probeShape =
    probes?.kind === 'array'
      ? probes.items.map(
          (item) =>
            `${render(property(item.kind === 'object' ? item : undefined, 'type'))}:${render(property(item.kind === 'object' ? item : undefined, 'httpGet.path'))}`,
        )
      : [];
  if (probeShape.join(',') !== "'Liveness':livenessPath,'Readiness':readinessPath") {
    problems.push(
      `probes must be Liveness on livenessPath and Readiness on readinessPath (found ${probeShape.join(', ') || 'none'})`,
    );
  }
  const containers = property(body, 'properties.template.containers');
  const container = containers?.kind === 'array' ? containers.items[0] : undefined;
  if (
    render(property(container?.kind === 'object' ? container : undefined, 'probes')) !== 'probes'
  ) {
    problems.push('the container must use the probes');
  }
  return problems;
}

/**
 * Every service in apps/ is in azure.yaml and has, in main.bicep, a block calling app/<kind>.bicep
 * with its name, port and image parameter; that module gives it an identity, the grants of its
 * kind and a Container App running as that identity.
 */
export function checkServices(
  infra: Infra,
  services: readonly Service[],
  types: readonly BicepType[],
): Finding[] {
  const findings: Finding[] = [...checkAzureYaml(infra.azureYaml, services)];
  const report = (file: string, line: number | undefined, message: string) =>
    findings.push({ check: 'services', file, ...(line ? { line } : {}), message });
  for (const problem of checkContainerApp(infra.files.get(containerAppPath)))
    report(containerAppPath, undefined, `${problem}.`);
  const serviceModules = infra.main.modules.filter((module) =>
    resolveModulePath('main.bicep', module.path).startsWith('app/'),
  );
  for (const service of services) {
    // Container App names ('ca-<name>-<13-character token>') are limited to 32 characters.
    if (service.name.length > maxServiceNameLength) {
      report(
        'azure.yaml',
        undefined,
        `service "${service.name}" has a ${service.name.length}-character name; Container App names (ca-<name>-<token>) allow at most ${maxServiceNameLength}. Rename apps/${service.name}.`,
      );
    }
    const module = serviceModules.find(
      (candidate) => literal(property(params(candidate), 'serviceName')) === service.name,
    );
    if (module === undefined) {
      report(
        'main.bicep',
        undefined,
        `service "${service.name}" has no block; copy the "service: ${services.find((other) => other.kind === service.kind && other !== service)?.name ?? service.kind}" block, rename it and set serviceName: '${service.name}' (see infra/README.md).`,
      );
      continue;
    }
    const kindPath = `app/${service.kind}.bicep`;
    if (resolveModulePath('main.bicep', module.path) !== kindPath) {
      report(
        'main.bicep',
        module.line,
        `service "${service.name}" is kind ${service.kind} but its block calls ${module.path}; call '${kindPath}'.`,
      );
    }
    if (literal(property(params(module), 'port')) !== service.port) {
      report(
        'main.bicep',
        module.line,
        `service "${service.name}" has port ${render(property(params(module), 'port'))}; its package.json keyless.port is ${service.port}.`,
      );
    }
    const imageParam = `${serviceSymbol(service.name)}ImageName`;
    if (render(property(params(module), 'imageName')) !== imageParam) {
      report(
        'main.bicep',
        module.line,
        `service "${service.name}" must pass imageName: ${imageParam}.`,
      );
    }
    const kindFile = infra.files.get(kindPath);
    if (kindFile === undefined) {
      report(kindPath, undefined, `${kindPath} is missing; every service kind needs its module.`);
      continue;
    }
    for (const problem of checkKindModule(kindFile, service.kind, types))
      report(kindPath, undefined, `${problem}.`);
  }
  for (const module of serviceModules) {
    const name = literal(property(params(module), 'serviceName'));
    if (!services.some((service) => service.name === name)) {
      report(
        'main.bicep',
        module.line,
        `block '${module.symbol}' deploys serviceName ${JSON.stringify(name)}, which no apps/<name>/package.json declares.`,
      );
    }
  }
  const developer = moduleCalls(infra.main, grantsPath).find(
    (module) =>
      catalogueReference(infra.main, property(params(module), 'grants')) === 'developerGrants',
  );
  if (developer === undefined) {
    report(
      'main.bicep',
      undefined,
      'the developer (principalId) gets no grants; call core/security/grants.bicep with catalogue.developerGrants.',
    );
  } else {
    const developerParams = params(developer);
    if (
      render(property(developerParams, 'principalId')) !== 'principalId' ||
      render(property(developerParams, 'principalType')) !== 'principalType'
    ) {
      report(
        'main.bicep',
        developer.line,
        'the developer grants must pass principalId: principalId and principalType: principalType (CI uses ServicePrincipal).',
      );
    }
    if (
      developer.value.kind !== 'if' ||
      render(developer.value.condition) !== '!empty(principalId)'
    ) {
      report(
        'main.bicep',
        developer.line,
        'the developer grants must be conditional on !empty(principalId).',
      );
    }
  }
  return findings;
}
