import type { PredictedResource } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { containerEnv, label, prop } from './resources.ts';

// ARM's list* functions (the account-key, SAS and credential listers) return secrets.
const listCall = /(?<![A-Za-z0-9_.])list[A-Za-z]*\s*\(/;
const secretLiteral = /AccountKey=|SharedAccessSignature=|SharedAccessKey=|sig=[A-Za-z0-9%]/i;
const secretName = /key|secret|password|connection_?string|sas|token/i;
// Application Insights' connection string names an endpoint; with local auth off (key-auth checks
// that) it authorises nothing, so it may pass as configuration under this exact name.
const allowedNames = new Set(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'connectionString']);

interface Template {
  readonly parameters?: Record<string, { type?: string }>;
  readonly outputs?: Record<string, { value?: unknown }>;
  readonly resources?: unknown;
}

const isDeployment = (value: object): boolean =>
  (value as { type?: unknown }).type === 'Microsoft.Resources/deployments';

/** Every string in a template's own resources; a module's template is walked on its own. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (
        name === 'properties' &&
        isDeployment(value) &&
        item !== null &&
        typeof item === 'object'
      ) {
        for (const [key, nested] of Object.entries(item as Record<string, unknown>))
          if (key !== 'template') yield* strings(nested);
      } else {
        yield* strings(item);
      }
    }
  }
}

/** The template and every module's template nested in it (`properties.template` of deployments). */
function* templates(template: Template, path = 'main.bicep'): Generator<[string, Template]> {
  yield [path, template];
  const resources = template.resources;
  const list = Array.isArray(resources)
    ? resources
    : resources !== null && typeof resources === 'object'
      ? Object.values(resources)
      : [];
  for (const resource of list as {
    type?: string;
    name?: unknown;
    properties?: { template?: Template };
  }[]) {
    if (resource.type === 'Microsoft.Resources/deployments' && resource.properties?.template) {
      yield* templates(resource.properties.template, `${path} > ${String(resource.name)}`);
    }
  }
}

/**
 * Nothing in the compiled template reads or hands out a secret: no list*() call, no key-bearing
 * literal, no secure parameter (there is nothing secret to pass), no output and no container
 * setting named like a secret, no Container Apps secret.
 */
export function checkNoSecrets(
  template: unknown,
  resources: readonly PredictedResource[],
): Finding[] {
  const findings: Finding[] = [];
  for (const [path, part] of templates(template as Template)) {
    for (const text of strings(part.resources)) {
      if (listCall.test(text)) {
        findings.push({
          check: 'no-secrets',
          resource: path,
          problem: `calls a list* function, which returns keys: ${text.slice(0, 160)}`,
          fix: 'grant the caller a data role with core/security/role.bicep and let it sign in with its identity instead of reading keys',
        });
      }
      if (secretLiteral.test(text)) {
        findings.push({
          check: 'no-secrets',
          resource: path,
          problem: `holds a key-bearing string: ${text.slice(0, 80)}`,
          fix: 'remove it; every service authenticates with its managed identity',
        });
      }
    }
    for (const [name, parameter] of Object.entries(part.parameters ?? {})) {
      if (/^secure/i.test(parameter.type ?? '')) {
        findings.push({
          check: 'no-secrets',
          resource: `${path} parameter ${name}`,
          problem: `is a ${parameter.type}: this template has no secret to pass`,
          fix: 'remove the parameter and give the consumer an identity and a role instead',
        });
      }
    }
    for (const [name, output] of Object.entries(part.outputs ?? {})) {
      const value = JSON.stringify(output.value ?? '');
      const isAppInsights =
        allowedNames.has(name) && /Microsoft\.Insights\/components/i.test(value);
      if (
        secretName.test(name) &&
        !(isAppInsights || name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')
      ) {
        findings.push({
          check: 'no-secrets',
          resource: `${path} output ${name}`,
          problem:
            "is named like a secret; outputs land in azd's .env files and deployment history",
          fix: 'output endpoints and names only',
        });
      }
    }
  }
  for (const app of resources.filter(
    (r) => r.type.toLowerCase() === 'microsoft.app/containerapps',
  )) {
    const secrets = prop(app, 'configuration.secrets');
    if (Array.isArray(secrets) && secrets.length > 0) {
      findings.push({
        check: 'no-secrets',
        resource: label(app),
        problem: 'declares Container Apps secrets',
        fix: 'remove configuration.secrets; the service signs in with its identity',
      });
    }
    for (const variable of containerEnv(app)) {
      if (
        variable.secretRef !== undefined ||
        (secretName.test(variable.name) && !allowedNames.has(variable.name))
      ) {
        findings.push({
          check: 'no-secrets',
          resource: label(app),
          problem: `environment variable ${variable.name} looks like a secret`,
          fix: 'pass endpoints and names only, in infra/app/<kind>.bicep',
        });
      }
    }
  }
  return findings;
}
