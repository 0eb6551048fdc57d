import type { Service } from '@keyless/registry';
import { developerGrants, grantsByKind, type Grant } from '@keyless/roles';
import type { PredictedResource } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { identityNamed, ofType, prop, text } from './resources.ts';

/** The deploying principal the snapshot was evaluated for. */
export interface Deployer {
  readonly principalId: string;
  readonly principalType: string;
}

interface Assignment {
  readonly principal: string;
  readonly roleId: string;
  readonly scope: string;
  readonly target: string;
}

const key = (a: Assignment) => `${a.principal} | ${a.roleId} | ${a.scope} | ${a.target || '-'}`;

// The scope kinds of @keyless/roles, recognised from the id of the resource an assignment sits on.
const scopePatterns: readonly [RegExp, string][] = [
  [/\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i, 'openai'],
  [/\/queueServices\/default\/queues\/([^/]+)$/i, 'storage-queue'],
  [/\/blobServices\/default\/containers\/([^/]+)$/i, 'storage-container'],
  [/\/providers\/Microsoft\.ContainerRegistry\/registries\/[^/]+$/i, 'registry'],
  [/\/providers\/Microsoft\.Insights\/components\/[^/]+$/i, 'monitor'],
];

function scopeOf(assignmentId: string): { scope: string; target: string } {
  const at = assignmentId
    .toLowerCase()
    .lastIndexOf('/providers/microsoft.authorization/roleassignments/');
  const scopeId = at < 0 ? assignmentId : assignmentId.slice(0, at);
  for (const [pattern, scope] of scopePatterns) {
    const match = pattern.exec(scopeId);
    if (match) return { scope, target: match[1] ?? '' };
  }
  return { scope: `unrecognised scope ${scopeId}`, target: '' };
}

function principalOf(resource: PredictedResource, deployer: Deployer): string {
  const principalId = text(resource, 'principalId');
  if (principalId === deployer.principalId) return 'developer';
  const identity = identityNamed(principalId);
  // id-<service>-<resource token>: the token has no hyphen.
  return identity === undefined
    ? `unknown principal ${principalId}`
    : `id-${identity.replace(/^id-/, '').replace(/-[^-]+$/, '')}`;
}

function expand(
  principal: string,
  grants: readonly Grant[],
  workers: readonly Service[],
): Assignment[] {
  return grants.flatMap((grant) =>
    grant.target === undefined
      ? [{ principal, roleId: grant.role.id, scope: grant.role.scope, target: '' }]
      : workers.flatMap((worker) =>
          worker.kind === 'worker' && grant.target !== undefined
            ? [
                {
                  principal,
                  roleId: grant.role.id,
                  scope: grant.role.scope,
                  target: worker[grant.target],
                },
              ]
            : [],
        ),
  );
}

/** What @keyless/roles says each service identity and the deployer get, resolved per worker. */
export function expectedAssignments(
  services: readonly Service[],
  deployer: Deployer,
): Assignment[] {
  const workers = services.filter((service) => service.kind === 'worker');
  return [
    ...services.flatMap((service) =>
      expand(
        `id-${service.name}`,
        grantsByKind[service.kind],
        service.kind === 'worker' ? [service] : [],
      ),
    ),
    ...(deployer.principalId === '' ? [] : expand('developer', developerGrants, workers)),
  ];
}

/**
 * Every role assignment in the template is one that @keyless/roles asks for (role id, scope kind,
 * queue or container, principal), each asked-for one exists, and principalType matches the
 * principal: ServicePrincipal for identities, the deployer's type for the deployer.
 */
export function checkRoleAssignments(
  resources: readonly PredictedResource[],
  services: readonly Service[],
  deployer: Deployer,
): Finding[] {
  const findings: Finding[] = [];
  const expected = new Map(expectedAssignments(services, deployer).map((a) => [key(a), a]));
  const seen = new Set<string>();
  for (const resource of ofType(resources, 'Microsoft.Authorization/roleAssignments')) {
    const roleDefinitionId = text(resource, 'roleDefinitionId');
    const principal = principalOf(resource, deployer);
    const actual: Assignment = {
      principal,
      roleId: roleDefinitionId.split('/').pop() ?? '',
      ...scopeOf(resource.id),
    };
    const where = `Microsoft.Authorization/roleAssignments for ${principal} (${key(actual)})`;
    const wantedType = principal === 'developer' ? deployer.principalType : 'ServicePrincipal';
    if (prop(resource, 'principalType') !== wantedType) {
      findings.push({
        check: 'role-assignments',
        resource: where,
        problem: `principalType is ${JSON.stringify(prop(resource, 'principalType'))}, not ${wantedType}; Azure answers UnmatchedPrincipalType or delays the grant`,
        fix: 'pass principalType through core/security/grants.bicep to role.bicep (ServicePrincipal for identities, the principalType parameter for the deployer)',
      });
    }
    if (!expected.has(key(actual))) {
      findings.push({
        check: 'role-assignments',
        resource: where,
        problem: 'is not one that @keyless/roles grants (role id, scope or principal differ)',
        fix: 'grant roles only through grantsByKind/developerGrants in packages/roles, then `npm run roles:sync -w @keyless/infra`',
      });
    }
    seen.add(key(actual));
  }
  for (const [wanted, assignment] of expected) {
    if (!seen.has(wanted)) {
      findings.push({
        check: 'role-assignments',
        resource: `principal ${assignment.principal}`,
        problem: `lacks the grant ${wanted} that @keyless/roles asks for`,
        fix: "apply the kind's grants with core/security/grants.bicep (and regenerate core/security/roles.json with `npm run roles:sync -w @keyless/infra`)",
      });
    }
  }
  return findings;
}
