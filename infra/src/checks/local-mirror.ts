import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { developerGrants, grantsByKind, type Grant } from '@keyless/roles';
import type { Finding } from '../findings.ts';
import type { Service } from '../services.ts';

const roleAssignmentsPath = 'packages/local-azure/config/role-assignments.json';
const identitiesPath = 'packages/local-azure/config/identities.json';

interface LocalAssignment {
  principal: string;
  role: string;
  scope: string;
  target?: string;
}

const describe = (assignment: { role: string; scope: string; target?: string | undefined }) =>
  `${assignment.role} on ${assignment.scope}${assignment.target ? ` ${assignment.target}` : ''}`;

// The local stack has no registry, so AcrPull (scope 'registry') has nothing to mirror.
function mirrorable(grants: readonly Grant[]): string[] {
  return grants
    .filter((grant) => grant.role.scope !== 'registry')
    .map((grant) =>
      describe({ role: grant.role.name, scope: grant.role.scope, target: grant.target }),
    )
    .sort();
}

/**
 * The local stack grants what Azure will: for every service, id-<name> holds exactly its kind's
 * grants, and `developer` holds developerGrants (packages/local-azure/config/role-assignments.json).
 */
export function checkLocalMirror(repoRoot: string, services: readonly Service[]): Finding[] {
  const findings: Finding[] = [];
  const assignments = (
    JSON.parse(readFileSync(join(repoRoot, roleAssignmentsPath), 'utf8')) as {
      roleAssignments: LocalAssignment[];
    }
  ).roleAssignments;
  const identities = (
    JSON.parse(readFileSync(join(repoRoot, identitiesPath), 'utf8')) as {
      identities: { name: string }[];
    }
  ).identities;
  const principals = [
    ...services.map((service) => ({
      name: `id-${service.name}`,
      grants: grantsByKind[service.kind],
      why: `kind ${service.kind}`,
    })),
    { name: 'developer', grants: developerGrants, why: 'developerGrants' },
  ];
  for (const principal of principals) {
    if (!identities.some((identity) => identity.name === principal.name)) {
      findings.push({
        check: 'local-mirror',
        file: identitiesPath,
        message: `identity '${principal.name}' is missing; the local stack cannot stand in for it.`,
      });
    }
    const local = assignments
      .filter((assignment) => assignment.principal === principal.name)
      .map(describe)
      .sort();
    const wanted = mirrorable(principal.grants);
    const missing = wanted.filter((grant) => !local.includes(grant));
    const extra = local.filter((grant) => !wanted.includes(grant));
    if (missing.length > 0 || extra.length > 0) {
      findings.push({
        check: 'local-mirror',
        file: roleAssignmentsPath,
        message: `'${principal.name}' (${principal.why}) differs from what Azure grants: ${[
          ...missing.map((grant) => `missing ${grant}`),
          ...extra.map((grant) => `extra ${grant}`),
        ].join('; ')}. Make it match @keyless/roles, or local runs will allow what Azure refuses.`,
      });
    }
  }
  return findings;
}
