import type { Service } from '@keyless/registry';
import type { PredictedResource } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { containerEnv, label, ofType, prop } from './resources.ts';

const finding = (resource: string, problem: string, fix: string): Finding => ({
  check: 'services',
  resource,
  problem,
  fix,
});

function identitiesOf(app: PredictedResource): string[] {
  return Object.keys(app.identity?.userAssignedIdentities ?? {});
}

function envValue(app: PredictedResource, name: string): unknown {
  return containerEnv(app).find((variable) => variable.name === name)?.value;
}

/**
 * Each services.json entry is one Container App running as exactly one user-assigned identity of
 * its own (`id-<name>-…`), told its AZURE_CLIENT_ID and where telemetry goes; a worker is told its
 * own queues and container, and KEDA scales it on its own queue with its own identity.
 */
export function checkServices(
  resources: readonly PredictedResource[],
  services: readonly Service[],
): Finding[] {
  const apps = ofType(resources, 'Microsoft.App/containerApps');
  const findings: Finding[] = [];
  const owners = new Map<string, string>();
  for (const service of services) {
    const app = apps.find((candidate) => candidate.tags?.['azd-service-name'] === service.name);
    if (app === undefined) {
      findings.push(
        finding(
          `service ${service.name}`,
          'has no Container App tagged azd-service-name',
          'main.bicep deploys every services.json entry through app/<kind>.bicep',
        ),
      );
      continue;
    }
    const identities = identitiesOf(app);
    const own = identities.filter((id) =>
      new RegExp(`/userAssignedIdentities/id-${service.name}-[^-/]+$`, 'i').test(id),
    );
    if (app.identity?.type !== 'UserAssigned' || identities.length !== 1 || own.length !== 1) {
      findings.push(
        finding(
          label(app),
          `runs as ${JSON.stringify(identities)} instead of exactly its own identity id-${service.name}-…`,
          'give each service one user-assigned identity of its own (app/<kind>.bicep)',
        ),
      );
    }
    for (const id of identities) {
      const owner = owners.get(id);
      if (owner !== undefined && owner !== service.name) {
        findings.push(
          finding(label(app), `shares identity ${id} with ${owner}`, 'one identity per service'),
        );
      }
      owners.set(id, service.name);
    }
    for (const name of [
      'AZURE_CLIENT_ID',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'AZURE_OPENAI_ENDPOINT',
    ]) {
      if (envValue(app, name) === undefined) {
        findings.push(
          finding(
            label(app),
            `is not given ${name}`,
            `add ${name} to the environment in infra/app/${service.kind}.bicep or main.bicep's sharedEnv`,
          ),
        );
      }
    }
    if (service.kind === 'worker') {
      const wanted = {
        WORKER_QUEUE: service.queue,
        WORKER_POISON_QUEUE: service.poisonQueue,
        WORKER_RESULTS_CONTAINER: service.resultsContainer,
      };
      for (const [name, value] of Object.entries(wanted)) {
        if (envValue(app, name) !== value) {
          findings.push(
            finding(
              label(app),
              `${name} is ${JSON.stringify(envValue(app, name))}, not ${value} from services.json`,
              "set it from the worker's services.json entry in infra/app/worker.bicep",
            ),
          );
        }
      }
      if (prop(app, 'configuration.ingress') != null) {
        findings.push(
          finding(
            label(app),
            'a worker has ingress',
            'workers take work from their queue only: ingress: false',
          ),
        );
      }
      const rules = prop(app, 'template.scale.rules');
      const queueRules = (Array.isArray(rules) ? rules : []).filter(
        (rule: { azureQueue?: unknown }) => rule.azureQueue !== undefined,
      ) as {
        name: string;
        azureQueue: { queueName?: string; identity?: string; auth?: unknown[] };
      }[];
      const rule = queueRules[0];
      if (queueRules.length !== 1 || rule === undefined) {
        findings.push(
          finding(
            label(app),
            `has ${queueRules.length} azure-queue scale rules, not one`,
            "scale on the worker's own queue (infra/app/worker.bicep)",
          ),
        );
      } else {
        if (rule.azureQueue.queueName !== service.queue) {
          findings.push(
            finding(
              label(app),
              `scales on queue ${String(rule.azureQueue.queueName)}, not its own ${service.queue}`,
              'queueName: service.queue in infra/app/worker.bicep',
            ),
          );
        }
        if (rule.azureQueue.identity === undefined || !own.includes(rule.azureQueue.identity)) {
          findings.push(
            finding(
              label(app),
              `its KEDA queue rule authenticates as ${String(rule.azureQueue.identity)}, not the worker's own identity`,
              "identity: the worker's identity id in the azureQueue rule (never a connection string)",
            ),
          );
        }
        if ((rule.azureQueue.auth ?? []).length > 0) {
          findings.push(
            finding(
              label(app),
              'its KEDA queue rule uses secret-based auth',
              'remove auth; use identity',
            ),
          );
        }
      }
    }
  }
  for (const app of apps) {
    const name = app.tags?.['azd-service-name'];
    if (!services.some((service) => service.name === name)) {
      findings.push(
        finding(
          label(app),
          `is not a service in services.json (azd-service-name ${String(name)})`,
          'add services with `npm run gen`; main.bicep deploys only services.json entries',
        ),
      );
    }
  }
  return findings;
}
