import { bodyObject, literal, property, render, type Literal } from '../bicep/query.ts';
import type { Finding } from '../findings.ts';
import type { Infra } from '../infra-files.ts';

interface Requirement {
  readonly path: string;
  readonly value: Literal;
  readonly why: string;
}

/**
 * Every resource type the infra may deploy, with the settings that keep it keyless. A type with no
 * requirements has no key authentication of its own. A type missing from this table is a finding:
 * whoever adds it must decide whether it accepts keys.
 */
export const keyAuthRequirements: Readonly<Record<string, readonly Requirement[]>> = {
  'Microsoft.CognitiveServices/accounts': [
    {
      path: 'properties.disableLocalAuth',
      value: true,
      why: 'refuses api-key calls (AuthenticationTypeDisabled)',
    },
  ],
  'Microsoft.Storage/storageAccounts': [
    {
      path: 'properties.allowSharedKeyAccess',
      value: false,
      why: 'refuses account keys and SAS signed with them',
    },
    {
      path: 'properties.defaultToOAuthAuthentication',
      value: true,
      why: 'portal and tools use Entra ID',
    },
    { path: 'properties.allowBlobPublicAccess', value: false, why: 'no anonymous reads' },
    { path: 'properties.minimumTlsVersion', value: 'TLS1_2', why: 'tokens only over TLS 1.2+' },
  ],
  'Microsoft.ContainerRegistry/registries': [
    {
      path: 'properties.adminUserEnabled',
      value: false,
      why: 'no registry password; pulls use AcrPull',
    },
    { path: 'properties.anonymousPullEnabled', value: false, why: 'no anonymous pulls' },
  ],
  'Microsoft.OperationalInsights/workspaces': [
    { path: 'properties.features.disableLocalAuth', value: true, why: 'no workspace shared key' },
  ],
  'Microsoft.Storage/storageAccounts/blobServices/containers': [
    { path: 'properties.publicAccess', value: 'None', why: 'no anonymous container access' },
  ],
  'Microsoft.Resources/resourceGroups': [],
  'Microsoft.CognitiveServices/accounts/deployments': [],
  'Microsoft.Storage/storageAccounts/queueServices': [],
  'Microsoft.Storage/storageAccounts/queueServices/queues': [],
  'Microsoft.Storage/storageAccounts/blobServices': [],
  'Microsoft.App/managedEnvironments': [
    {
      path: 'properties.appLogsConfiguration.destination',
      value: 'azure-monitor',
      why: "'log-analytics' needs the workspace key",
    },
  ],
  'Microsoft.App/containerApps': [],
  'Microsoft.Insights/diagnosticSettings': [],
  'Microsoft.ManagedIdentity/userAssignedIdentities': [],
  'Microsoft.Authorization/roleAssignments': [],
};

/** Fails when a deployed resource that could accept keys does not refuse them (literally, not via a parameter). */
export function checkKeyAuth(infra: Infra): Finding[] {
  const findings: Finding[] = [];
  for (const file of infra.files.values()) {
    for (const resource of file.resources) {
      if (resource.existing) continue;
      const report = (message: string) =>
        findings.push({ check: 'key-auth', file: file.path, line: resource.line, message });
      const requirements = keyAuthRequirements[resource.type];
      if (requirements === undefined) {
        report(
          `resource '${resource.symbol}' has type ${resource.type}, which the key-auth table does not know; find out whether it accepts keys and add it to keyAuthRequirements in infra/src/checks/key-auth.ts with the setting that turns them off.`,
        );
        continue;
      }
      const body = bodyObject(resource.value);
      for (const requirement of requirements) {
        const actual = property(body, requirement.path);
        if (literal(actual) !== requirement.value) {
          report(
            `resource '${resource.symbol}' (${resource.type}) has ${requirement.path}: ${render(actual)}; set it to ${JSON.stringify(requirement.value).replace(/"/g, "'")} (${requirement.why}).`,
          );
        }
      }
    }
  }
  return findings;
}
