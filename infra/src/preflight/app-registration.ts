import { randomUUID } from 'node:crypto';
import type { Service } from '@keyless/registry';
import { json, type Command } from './command.ts';

// The Azure CLI's public client id: pre-authorised so `az account get-access-token --resource
// api://<appId>` works without a consent prompt.
const azureCliClientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

export interface AppRegistrations {
  /** `name=appId` per api that has one, as main.bicep's apiAppIds expects. */
  readonly appIds: ReadonlyMap<string, string>;
  /** Why an api has none (it then stays internal to the environment). */
  readonly notes: readonly string[];
}

/** The display name of an api's app registration: one per api service and environment. */
export const appRegistrationName = (environment: string, service: string) =>
  `keyless-${environment}-${service}`;

function configure(az: Command, app: { appId: string; id: string }): boolean {
  const scopeId = randomUUID();
  const body = {
    identifierUris: [`api://${app.appId}`],
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          id: scopeId,
          value: 'user_impersonation',
          type: 'User',
          isEnabled: true,
          adminConsentDisplayName: 'Call the api',
          adminConsentDescription: 'Call the api as the signed-in user.',
          userConsentDisplayName: 'Call the api',
          userConsentDescription: 'Call the api as you.',
        },
      ],
      preAuthorizedApplications: [{ appId: azureCliClientId, delegatedPermissionIds: [scopeId] }],
    },
  };
  const patched = az([
    'rest',
    '--method',
    'patch',
    '--resource',
    'https://graph.microsoft.com',
    '--url',
    `https://graph.microsoft.com/v1.0/applications/${app.id}`,
    '--headers',
    'Content-Type=application/json',
    '--body',
    JSON.stringify(body),
  ]);
  // Tokens are only issued for an app that has a service principal in the tenant.
  const principal =
    az(['ad', 'sp', 'show', '--id', app.appId]).ok ||
    az(['ad', 'sp', 'create', '--id', app.appId]).ok;
  return patched.ok && principal;
}

/**
 * Finds or creates each api's Entra app registration (identifier URI api://<appId>, a
 * user_impersonation scope, the Azure CLI pre-authorised, v2 tokens, and no secret). Creating one
 * needs the right to register applications, which many users lack: then the api stays internal.
 */
export function ensureApiApps(
  services: readonly Service[],
  environment: string,
  az: Command,
  existing: ReadonlyMap<string, string>,
): AppRegistrations {
  const appIds = new Map<string, string>();
  const notes: string[] = [];
  for (const service of services.filter((candidate) => candidate.kind === 'api')) {
    const known = existing.get(service.name);
    if (known !== undefined) {
      appIds.set(service.name, known);
      continue;
    }
    const displayName = appRegistrationName(environment, service.name);
    const found = json<{ appId: string; id: string }[]>(
      az([
        'ad',
        'app',
        'list',
        '--display-name',
        displayName,
        '--query',
        '[].{appId:appId,id:id}',
        '--output',
        'json',
      ]),
    )?.[0];
    const created =
      found ??
      json<{ appId: string; id: string }>(
        az([
          'ad',
          'app',
          'create',
          '--display-name',
          displayName,
          '--sign-in-audience',
          'AzureADMyOrg',
          '--query',
          '{appId:appId,id:id}',
          '--output',
          'json',
        ]),
      );
    if (created === undefined) {
      notes.push(
        `api "${service.name}": could not create the app registration ${displayName} (you may lack the right to register applications), so it stays internal to the Container Apps environment; ask an admin for "Application Developer", or have them create it and run \`azd env set AZURE_API_APP_IDS ${service.name}=<appId>\``,
      );
      continue;
    }
    if (found === undefined && !configure(az, created)) {
      notes.push(
        `api "${service.name}": created ${displayName} (${created.appId}) but could not set its identifier URI, scope or service principal; it stays internal until that is fixed (see docs/deploy.md)`,
      );
      continue;
    }
    appIds.set(service.name, created.appId);
  }
  return { appIds, notes };
}

/** Parses `a=1,b=2` (AZURE_API_APP_IDS, AZURE_SERVICE_IMAGES). */
export function parsePairs(text: string | undefined): Map<string, string> {
  return new Map(
    (text ?? '')
      .split(',')
      .filter((entry) => entry.includes('='))
      .map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()] as [string, string];
      }),
  );
}

export const formatPairs = (pairs: ReadonlyMap<string, string>) =>
  [...pairs].map(([name, value]) => `${name}=${value}`).join(',');
