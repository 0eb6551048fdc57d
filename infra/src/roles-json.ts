import {
  allRoles,
  developerGrants,
  grantsByKind,
  roles,
  type Grant,
  type RoleKey,
} from '@keyless/roles';

/** Where the generated catalogue lives, relative to infra/; Bicep reads it with loadJsonContent(). */
export const rolesJsonPath = 'core/security/roles.json';

/**
 * One grant as Bicep loops over it. `target` is the slot of a worker's services.json entry that
 * names the queue or container ('queue', 'poisonQueue', 'resultsContainer'), resolved per worker
 * by core/security/grants.bicep; '' for a whole-resource grant (Bicep has no undefined).
 */
export interface BicepGrant {
  readonly role: RoleKey;
  readonly roleName: string;
  readonly roleDefinitionId: string;
  readonly scope: string;
  readonly target: string;
}

export interface RolesJson {
  readonly $comment: string;
  readonly roles: Record<
    string,
    { readonly name: string; readonly id: string; readonly scope: string }
  >;
  readonly grantsByKind: Record<string, readonly BicepGrant[]>;
  readonly developerGrants: readonly BicepGrant[];
}

function roleKeyOf(grant: Grant): RoleKey {
  const key = (Object.keys(roles) as RoleKey[]).find(
    (candidate) => roles[candidate] === grant.role,
  );
  if (key === undefined) {
    throw new Error(
      `Grant of "${grant.role.name}" uses a role that is not in the @keyless/roles catalogue; add it to packages/roles/src/catalogue.ts.`,
    );
  }
  return key;
}

function toBicepGrant(grant: Grant): BicepGrant {
  return {
    role: roleKeyOf(grant),
    roleName: grant.role.name,
    roleDefinitionId: grant.role.id,
    scope: grant.role.scope,
    target: grant.target ?? '',
  };
}

/** The role catalogue in the shape the Bicep reads: the one source is @keyless/roles. */
export function buildRolesJson(): RolesJson {
  return {
    $comment:
      'Generated from @keyless/roles by `npm run roles:sync -w @keyless/infra`; do not edit by hand.',
    roles: Object.fromEntries(
      (Object.keys(roles) as RoleKey[]).map((key) => [
        key,
        { name: roles[key].name, id: roles[key].id, scope: roles[key].scope },
      ]),
    ),
    grantsByKind: Object.fromEntries(
      Object.entries(grantsByKind).map(([kind, grants]) => [kind, grants.map(toBicepGrant)]),
    ),
    developerGrants: developerGrants.map(toBicepGrant),
  };
}

/** The file's exact text (stable key order, trailing newline) so that a drift test can compare bytes. */
export function renderRolesJson(): string {
  return `${JSON.stringify(buildRolesJson(), null, 2)}\n`;
}

/** Role definition ids the catalogue holds; anything else in the Bicep is a role outside it. */
export function catalogueRoleIds(): ReadonlySet<string> {
  return new Set(allRoles.map((role) => role.id));
}
