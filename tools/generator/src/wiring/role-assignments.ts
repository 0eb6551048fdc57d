/**
 * The service's grants in the local stack's packages/local-azure/config/role-assignments.json: the
 * grants of its kind from @keyless/roles `grantsByKind`, so the emulator allows exactly what the
 * infra grants in Azure. Registry roles (AcrPull) have no local counterpart and are left out.
 */
import { grantsByKind } from '@keyless/roles';
import type { ServiceKind } from '@keyless/roles';
import { afterLastService } from './local-identities.ts';

interface LocalRoleAssignment {
  principal: string;
  role: string;
  scope: string;
  target?: string;
}

export function localGrants(identityName: string, kind: ServiceKind): LocalRoleAssignment[] {
  return grantsByKind[kind]
    .filter((grant) => grant.role.scope !== 'registry')
    .map((grant) => ({
      principal: identityName,
      role: grant.role.name,
      scope: grant.role.scope,
      ...(grant.target === undefined ? {} : { target: grant.target }),
    }));
}

export function addLocalRoleAssignments(
  text: string,
  identityName: string,
  kind: ServiceKind,
): string {
  const file = JSON.parse(text) as { roleAssignments: LocalRoleAssignment[] };
  if (file.roleAssignments.some((assignment) => assignment.principal === identityName)) {
    throw new Error(
      `role-assignments.json already grants roles to "${identityName}"; remove them or choose another service name.`,
    );
  }
  file.roleAssignments.splice(
    afterLastService(file.roleAssignments),
    0,
    ...localGrants(identityName, kind),
  );
  return `${JSON.stringify(file, null, 2)}\n`;
}
