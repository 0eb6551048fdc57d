/**
 * The service's user-assigned identity in the local stack's packages/local-azure/config/identities.json:
 * `id-<name>` with fresh client and principal ids, listed after the other services' identities.
 */
import { randomUUID } from 'node:crypto';

interface IdentitiesFile {
  tenantId: string;
  identities: Array<{ name: string; clientId: string; principalId: string; principalType: string }>;
}

export function addLocalIdentity(
  text: string,
  identityName: string,
  newId: () => string = randomUUID,
): string {
  const file = JSON.parse(text) as IdentitiesFile;
  if (file.identities.some((identity) => identity.name === identityName)) {
    throw new Error(
      `identities.json already has an identity "${identityName}"; remove it or choose another service name.`,
    );
  }
  const identity = {
    name: identityName,
    clientId: newId(),
    principalId: newId(),
    principalType: 'ServicePrincipal',
  };
  file.identities.splice(afterLastService(file.identities), 0, identity);
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Services' identities (`id-*`) come first; people such as `developer` stay at the end. */
export function afterLastService(
  entries: ReadonlyArray<{ name?: string; principal?: string }>,
): number {
  let index = 0;
  entries.forEach((entry, position) => {
    if ((entry.name ?? entry.principal ?? '').startsWith('id-')) index = position + 1;
  });
  return index;
}
