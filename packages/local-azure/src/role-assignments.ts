import { findRole } from '@keyless/roles';
import { z } from 'zod';
import { LocalAzureConfigError } from './errors.ts';
import { pathText, readJsonFile } from './identities.ts';
import type { LocalIdentity } from './identities.ts';

const roleAssignmentSchema = z
  .object({
    principal: z.string().min(1),
    role: z.string().min(1),
    scope: z.enum(['openai', 'storage-queue', 'storage-container']),
    target: z.string().min(1).optional(),
  })
  .refine((assignment) => assignment.scope === 'openai' || assignment.target !== undefined, {
    message:
      'storage-queue and storage-container assignments need a target (the queue or container name)',
    path: ['target'],
  });

const roleAssignmentsFileSchema = z.object({ roleAssignments: z.array(roleAssignmentSchema) });

/** Principal name → built-in role → scope, mirroring what infra/main.bicep grants. */
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export const defaultRoleAssignmentsPath = new URL(
  '../config/role-assignments.json',
  import.meta.url,
);

/**
 * Reads and validates `config/role-assignments.json` (or `path`): every role must be in the
 * @keyless/roles catalogue and, when `identities` is given, every principal must exist.
 */
export function loadRoleAssignments(
  path: string | URL = defaultRoleAssignmentsPath,
  identities?: readonly LocalIdentity[],
): RoleAssignment[] {
  const parsed = roleAssignmentsFileSchema.safeParse(readJsonFile(path));
  if (!parsed.success) {
    throw LocalAzureConfigError.fromZod(path, parsed.error);
  }
  const problems: string[] = [];
  parsed.data.roleAssignments.forEach((assignment, index) => {
    const role = findRole(assignment.role);
    if (!role) {
      problems.push(
        `  - roleAssignments.${index}.role: "${assignment.role}" is not in the role catalogue; use a name from packages/roles/src/catalogue.ts`,
      );
    } else if (role.scope !== assignment.scope) {
      problems.push(
        `  - roleAssignments.${index}.scope: "${assignment.role}" applies to scope "${role.scope}", not "${assignment.scope}"`,
      );
    }
    if (identities && !identities.some((identity) => identity.name === assignment.principal)) {
      problems.push(
        `  - roleAssignments.${index}.principal: "${assignment.principal}" is not in identities.json; use one of ${identities.map((i) => i.name).join(', ')}`,
      );
    }
  });
  if (problems.length > 0) {
    throw new LocalAzureConfigError(`${pathText(path)} is not valid:\n${problems.join('\n')}`);
  }
  return parsed.data.roleAssignments;
}
