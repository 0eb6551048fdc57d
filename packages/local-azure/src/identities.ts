import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LocalAzureConfigError } from './errors.ts';

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

/** Where the shipped identities live; tests and the stack may pass another file. */
export const defaultIdentitiesPath = new URL('../config/identities.json', import.meta.url);

/** Reads and validates `config/identities.json` (or `path`), refusing duplicate names or ids. */
export function loadLocalIdentities(path: string | URL = defaultIdentitiesPath): LocalIdentities {
  const file = readJsonFile(path);
  const parsed = identitiesFileSchema.safeParse(file);
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
      `${pathText(path)} cannot be read (${(error as Error).message}). Restore it from git (git checkout -- <file>) or pass the path of an existing file.`,
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
