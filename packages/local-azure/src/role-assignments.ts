import { identityName, readRegistry } from '@keyless/registry';
import type { Registry, Service } from '@keyless/registry';
import { developerGrants, findRole, grantsByKind } from '@keyless/roles';
import type { Grant } from '@keyless/roles';
import { z } from 'zod';
import { LocalAzureConfigError } from './errors.ts';
import { developerName, pathText, readJsonFile } from './identities.ts';
import type { LocalIdentity } from './identities.ts';
import { workspaceRoot } from './workspace.ts';

const localScopes = ['openai', 'storage-queue', 'storage-container'] as const;

const roleAssignmentSchema = z
  .object({
    principal: z.string().min(1),
    role: z.string().min(1),
    scope: z.enum(localScopes),
    target: z.string().min(1).optional(),
  })
  .refine((assignment) => assignment.scope === 'openai' || assignment.target !== undefined, {
    message:
      'storage-queue and storage-container assignments need a target (the queue or container name)',
    path: ['target'],
  });

const roleAssignmentsFileSchema = z.object({ roleAssignments: z.array(roleAssignmentSchema) });

/** Principal name → built-in role → scope, as infra/main.bicep grants it in Azure. */
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

type LocalScope = (typeof localScopes)[number];

// The registry (AcrPull) and monitor (telemetry) grants have no local counterpart.
function isLocal(grant: Grant): grant is Grant & { role: { scope: LocalScope } } {
  return (localScopes as readonly string[]).includes(grant.role.scope);
}

/** One grant made concrete: a storage grant's slot resolved against one worker's entry. */
function assignment(principal: string, grant: Grant, service?: Service): RoleAssignment[] {
  if (!isLocal(grant)) return [];
  if (grant.target === undefined) {
    return [{ principal, role: grant.role.name, scope: grant.role.scope }];
  }
  if (service?.kind !== 'worker') return [];
  return [
    { principal, role: grant.role.name, scope: grant.role.scope, target: service[grant.target] },
  ];
}

/**
 * What the local stack grants, derived from services.json and @keyless/roles exactly as the infra
 * derives Azure's: each service its kind's grants (`grantsByKind`) on its own queues and
 * container, and `developer` the `developerGrants` on every worker's.
 */
export function localRoleAssignmentsFor(registry: Registry): RoleAssignment[] {
  const workers = registry.services.filter((service) => service.kind === 'worker');
  const services = registry.services.flatMap((service) =>
    grantsByKind[service.kind].flatMap((grant) =>
      assignment(identityName(service), grant, service),
    ),
  );
  const developer = developerGrants.flatMap((grant) =>
    grant.target === undefined
      ? assignment(developerName, grant)
      : workers.flatMap((worker) => assignment(developerName, grant, worker)),
  );
  return [...services, ...developer];
}

/**
 * The local role assignments: derived from `<workspace>/services.json` by default, or read from
 * `path`, a file of the same shape (`{ roleAssignments }`), which tests use to take a grant away.
 * A file's roles must be in the @keyless/roles catalogue and, when `identities` is given, its
 * principals must exist.
 */
export function loadRoleAssignments(
  path?: string | URL,
  identities?: readonly LocalIdentity[],
): RoleAssignment[] {
  if (path === undefined) return localRoleAssignmentsFor(readRegistry(workspaceRoot));
  const parsed = roleAssignmentsFileSchema.safeParse(readJsonFile(path));
  if (!parsed.success) {
    throw LocalAzureConfigError.fromZod(path, parsed.error);
  }
  const problems: string[] = [];
  parsed.data.roleAssignments.forEach((entry, index) => {
    const role = findRole(entry.role);
    if (!role) {
      problems.push(
        `  - roleAssignments.${index}.role: "${entry.role}" is not in the role catalogue; use a name from packages/roles/src/catalogue.ts`,
      );
    } else if (role.scope !== entry.scope) {
      problems.push(
        `  - roleAssignments.${index}.scope: "${entry.role}" applies to scope "${role.scope}", not "${entry.scope}"`,
      );
    }
    if (identities && !identities.some((identity) => identity.name === entry.principal)) {
      problems.push(
        `  - roleAssignments.${index}.principal: "${entry.principal}" is not a local identity; use one of ${identities.map((i) => i.name).join(', ')}`,
      );
    }
  });
  if (problems.length > 0) {
    throw new LocalAzureConfigError(`${pathText(path)} is not valid:\n${problems.join('\n')}`);
  }
  return parsed.data.roleAssignments;
}
