import { readFileSync } from 'node:fs';
import { identityName, readRegistry } from '@keyless/registry';
import type { Registry } from '@keyless/registry';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { LocalAzureConfigError } from './errors.ts';
import { defaultTenantId } from './identity/endpoint.ts';
import { workspaceRoot } from './workspace.ts';

const uuid = z.uuid({ message: 'must be a GUID such as 00000000-0000-0000-0000-000000000000' });

const localIdentitySchema = z.object({
  name: z.string().min(1),
  clientId: uuid,
  principalId: uuid,
  principalType: z.enum(['ServicePrincipal', 'User']),
});

const identitiesFileSchema = z.object({
  tenantId: uuid,
  identities: z.array(localIdentitySchema).min(1),
});

/** A user-assigned identity (or the local developer) that the identity endpoint can mint tokens for. */
export type LocalIdentity = z.infer<typeof localIdentitySchema>;
export type LocalIdentities = z.infer<typeof identitiesFileSchema>;

/** The local stand-in for the deploying developer (a user, not a service). */
export const developerName = 'developer';

/**
 * One identity with ids derived from its name alone (UUID v5 of `keyless-starter/<name>/client`
 * and `/principal` in the URL namespace), so every start, every clone and every test sees the same
 * ids for the same service, and a new service needs no file to be written.
 */
export function localIdentity(
  name: string,
  principalType: LocalIdentity['principalType'],
): LocalIdentity {
  return {
    name,
    clientId: uuidv5(`keyless-starter/${name}/client`, uuidv5.URL),
    principalId: uuidv5(`keyless-starter/${name}/principal`, uuidv5.URL),
    principalType,
  };
}

/** Every service's `id-<name>` in services.json, then `developer`. */
export function localIdentitiesFor(registry: Registry): LocalIdentities {
  return {
    tenantId: defaultTenantId,
    identities: [
      ...registry.services.map((service) =>
        localIdentity(identityName(service), 'ServicePrincipal'),
      ),
      localIdentity(developerName, 'User'),
    ],
  };
}

/**
 * The local identities: derived from `<workspace>/services.json` by default, or read from `path`,
 * a file of the same shape (`{ tenantId, identities }`), which tests use to add or remove one.
 * A file is validated, and duplicate names or ids are refused.
 */
export function loadLocalIdentities(path?: string | URL): LocalIdentities {
  if (path === undefined) return localIdentitiesFor(readRegistry(workspaceRoot));
  const parsed = identitiesFileSchema.safeParse(readJsonFile(path));
  if (!parsed.success) {
    throw LocalAzureConfigError.fromZod(path, parsed.error);
  }
  for (const key of ['name', 'clientId', 'principalId'] as const) {
    const seen = new Set<string>();
    for (const identity of parsed.data.identities) {
      const value = identity[key].toLowerCase();
      if (seen.has(value)) {
        throw new LocalAzureConfigError(
          `${pathText(path)}: two identities share the ${key} "${identity[key]}". Give each identity its own ${key}.`,
        );
      }
      seen.add(value);
    }
  }
  return parsed.data;
}

/** The resource id Azure would give this user-assigned identity (what `mi_res_id` names). */
export function identityResourceId(identity: LocalIdentity): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-local/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity.name}`;
}

export function readJsonFile(path: string | URL): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LocalAzureConfigError(
      `${pathText(path)} cannot be read (${(error as Error).message}). Pass the path of an existing file.`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LocalAzureConfigError(
      `${pathText(path)} is not valid JSON (${(error as Error).message}). Fix the syntax; npx prettier --check <file> points at the line.`,
      { cause: error },
    );
  }
}

export function pathText(path: string | URL): string {
  return path instanceof URL ? decodeURIComponent(path.pathname) : path;
}
