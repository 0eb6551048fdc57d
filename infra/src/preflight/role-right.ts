import { json, type Command } from './command.ts';
import type { Problem } from './models.ts';

const wanted = 'Microsoft.Authorization/roleAssignments/write';

function matches(pattern: string, action: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}

/**
 * The deployer may create role assignments in the subscription (Owner, User Access Administrator,
 * Role Based Access Control Administrator): every service's access is a role assignment.
 */
export function checkRoleAssignmentRight(subscriptionId: string, az: Command): Problem[] {
  const permissions = json<{ value?: { actions?: string[]; notActions?: string[] }[] }>(
    az([
      'rest',
      '--method',
      'get',
      '--url',
      `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
    ]),
  );
  if (permissions === undefined) {
    return [
      {
        code: 'AZ_FAILED',
        message: `could not read your permissions on subscription ${subscriptionId}`,
        fix: 'sign in with `az login` to the tenant of the subscription, then run azd again',
      },
    ];
  }
  const allowed = (permissions.value ?? []).some(
    (entry) =>
      (entry.actions ?? []).some((action) => matches(action, wanted)) &&
      !(entry.notActions ?? []).some((action) => matches(action, wanted)),
  );
  return allowed
    ? []
    : [
        {
          code: 'NO_ROLE_ASSIGNMENT_RIGHT',
          message: `you may not create role assignments in subscription ${subscriptionId} (${wanted}), and every service's access to Azure OpenAI and storage is one`,
          fix: 'ask for "Role Based Access Control Administrator" (or "User Access Administrator", or Owner) on the subscription, or have someone who has it run `azd provision`',
        },
      ];
}
