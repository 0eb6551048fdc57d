import { findRole, grantsDataAction, type RoleDefinition } from '@keyless/roles';
import type { EmulatorIdentity, EmulatorRoleAssignment } from './options.ts';

export type DataActionCheck = (principalId: string, dataAction: string) => boolean;

/**
 * Azure RBAC for the OpenAI data plane: a principal may perform a data action when one of its
 * role assignments on the OpenAI resource names a role that grants it. Assignments name the
 * principal by identity name (as `config/role-assignments.json` does) or by principal id.
 */
export function createDataActionCheck(
  identities: readonly EmulatorIdentity[],
  assignments: readonly EmulatorRoleAssignment[],
): DataActionCheck {
  const rolesByPrincipal = new Map<string, RoleDefinition[]>();
  for (const assignment of assignments) {
    if (assignment.scope !== 'openai') continue;
    const role = findRole(assignment.role);
    if (!role) {
      throw new Error(
        `The role assignment of "${assignment.role}" to "${assignment.principal}" names a role the catalogue in @keyless/roles does not hold. Use a built-in role name such as "Cognitive Services OpenAI User", or add the role to packages/roles/src/catalogue.ts.`,
      );
    }
    const identity = identities.find(
      (candidate) =>
        candidate.name === assignment.principal ||
        candidate.principalId.toLowerCase() === assignment.principal.toLowerCase(),
    );
    const principalId = (identity?.principalId ?? assignment.principal).toLowerCase();
    rolesByPrincipal.set(principalId, [...(rolesByPrincipal.get(principalId) ?? []), role]);
  }
  return (principalId, dataAction) =>
    (rolesByPrincipal.get(principalId.toLowerCase()) ?? []).some((role) =>
      grantsDataAction(role, dataAction),
    );
}
