import type { PredictedResource } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { label, prop } from './resources.ts';

interface Setting {
  readonly path: string;
  readonly expected: unknown;
  readonly why: string;
  readonly file: string;
}

/**
 * Every resource type the template may create, with the settings that make it refuse keys. A type
 * with an empty list has no key to refuse; a type not listed here is a finding, so that a new kind
 * of resource is classified before it ships.
 */
const settingsByType: Record<string, readonly Setting[]> = {
  'microsoft.cognitiveservices/accounts': [
    {
      path: 'disableLocalAuth',
      expected: true,
      why: 'accepts api-key calls',
      file: 'core/ai/openai.bicep',
    },
  ],
  'microsoft.storage/storageaccounts': [
    {
      path: 'allowSharedKeyAccess',
      expected: false,
      why: 'accepts account keys and SAS signed with them',
      file: 'core/storage/storage.bicep',
    },
    {
      path: 'allowBlobPublicAccess',
      expected: false,
      why: 'allows anonymous blob reads',
      file: 'core/storage/storage.bicep',
    },
  ],
  'microsoft.containerregistry/registries': [
    {
      path: 'adminUserEnabled',
      expected: false,
      why: 'has an admin user with a password',
      file: 'core/host/container-registry.bicep',
    },
    {
      path: 'anonymousPullEnabled',
      expected: false,
      why: 'lets anyone pull images',
      file: 'core/host/container-registry.bicep',
    },
  ],
  'microsoft.operationalinsights/workspaces': [
    {
      path: 'features.disableLocalAuth',
      expected: true,
      why: 'accepts data signed with the workspace shared key',
      file: 'core/monitor/log-analytics.bicep',
    },
  ],
  'microsoft.insights/components': [
    {
      path: 'DisableLocalAuth',
      expected: true,
      why: 'accepts telemetry with only the instrumentation key (no Entra token)',
      file: 'core/monitor/application-insights.bicep',
    },
  ],
  'microsoft.resources/resourcegroups': [],
  'microsoft.cognitiveservices/accounts/deployments': [],
  'microsoft.storage/storageaccounts/queueservices': [],
  'microsoft.storage/storageaccounts/queueservices/queues': [],
  'microsoft.storage/storageaccounts/blobservices': [],
  'microsoft.storage/storageaccounts/blobservices/containers': [],
  'microsoft.insights/diagnosticsettings': [],
  'microsoft.managedidentity/userassignedidentities': [],
  'microsoft.authorization/roleassignments': [],
  // Checked by their own rules: ingress.ts (authConfigs), services.ts (containerApps).
  'microsoft.app/containerapps': [],
  'microsoft.app/containerapps/authconfigs': [],
  'microsoft.app/managedenvironments': [],
};

/** Key authentication is off on every resource that has it; every resource type is classified. */
export function checkKeyAuth(resources: readonly PredictedResource[]): Finding[] {
  return resources.flatMap((resource): Finding[] => {
    const settings = settingsByType[resource.type.toLowerCase()];
    if (settings === undefined) {
      return [
        {
          check: 'key-auth',
          resource: label(resource),
          problem: `resource type ${resource.type} is not classified, so nobody has checked that it refuses keys`,
          fix: 'add the type to settingsByType in infra/src/policy/key-auth.ts with the settings that turn its key authentication off (an empty list if it has none)',
        },
      ];
    }
    const findings: Finding[] = settings
      .filter((setting) => prop(resource, setting.path) !== setting.expected)
      .map((setting) => ({
        check: 'key-auth',
        resource: label(resource),
        problem: `${setting.path} is ${JSON.stringify(prop(resource, setting.path))}, so it ${setting.why}`,
        fix: `set ${setting.path}: ${JSON.stringify(setting.expected)} in infra/${setting.file}`,
      }));
    if (
      resource.type.toLowerCase() === 'microsoft.app/managedenvironments' &&
      prop(resource, 'appLogsConfiguration.destination') === 'log-analytics'
    ) {
      findings.push({
        check: 'key-auth',
        resource: label(resource),
        problem: "logs go to 'log-analytics', which needs the workspace's shared key",
        fix: "keep destination 'azure-monitor' with a diagnostic setting in infra/core/host/container-apps-environment.bicep",
      });
    }
    return findings;
  });
}
