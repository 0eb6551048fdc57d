import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  accessPath,
  allExpressions,
  bodyObject,
  decoratorArgument,
  literal,
  property,
  render,
  variable,
} from '../bicep/query.ts';
import type { BicepFile, Expression, ModuleDeclaration } from '../bicep/syntax.ts';
import type { Finding } from '../findings.ts';
import { resolveModulePath, type Infra } from '../infra-files.ts';
import { catalogueRoleIds, renderRolesJson, rolesJsonPath } from '../roles-json.ts';

export const rolePath = 'core/security/role.bicep';
export const grantsPath = 'core/security/grants.bicep';
const assignmentType = 'Microsoft.Authorization/roleAssignments';
const principalTypes = ['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'];
const groupScopedName =
  'guid(subscription().id, resourceGroup().id, principalId, roleDefinitionId)';
const guidLiteral = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The modules a file calls, with their paths resolved relative to infra/. */
export function moduleCalls(file: BicepFile, target: string): ModuleDeclaration[] {
  return file.modules.filter((module) => resolveModulePath(file.path, module.path) === target);
}

/** The variable names a file binds to `loadJsonContent('<...>/core/security/roles.json')`. */
export function catalogueVariables(file: BicepFile): Set<string> {
  return new Set(
    file.variables
      .filter(
        (declaration) =>
          declaration.value.kind === 'call' &&
          declaration.value.name === 'loadJsonContent' &&
          typeof literal(declaration.value.args[0]) === 'string' &&
          resolveModulePath(file.path, literal(declaration.value.args[0]) as string) ===
            rolesJsonPath,
      )
      .map((declaration) => declaration.name),
  );
}

/** `catalogue.grantsByKind.api` → 'grantsByKind.api' when `catalogue` loads roles.json; else undefined. */
export function catalogueReference(
  file: BicepFile,
  expression: Expression | undefined,
): string | undefined {
  const path = accessPath(expression);
  if (path === undefined || path.length < 2 || !catalogueVariables(file).has(path[0] ?? ''))
    return undefined;
  return path.slice(1).join('.');
}

function checkRoleModule(role: BicepFile | undefined): Finding[] {
  if (role === undefined) {
    return [
      {
        check: 'role-assignments',
        file: rolePath,
        message: `${rolePath} is missing; every role assignment goes through it.`,
      },
    ];
  }
  const findings: Finding[] = [];
  const report = (line: number, message: string) =>
    findings.push({ check: 'role-assignments', file: rolePath, line, message });
  const param = (name: string) => role.params.find((declaration) => declaration.name === name);
  for (const name of ['principalId', 'principalType', 'roleDefinitionId']) {
    if (param(name) === undefined)
      report(1, `parameter '${name}' is missing (the shape of Microsoft's role.bicep).`);
  }
  const principalType = param('principalType');
  if (principalType) {
    const allowed = literal(decoratorArgument(principalType.decorators, 'allowed') ?? undefined);
    if (JSON.stringify(allowed) !== JSON.stringify(principalTypes)) {
      report(
        principalType.line,
        `principalType must be @allowed(${JSON.stringify(principalTypes)}); it has ${JSON.stringify(allowed)}.`,
      );
    }
    if (literal(principalType.defaultValue) !== 'ServicePrincipal') {
      report(
        principalType.line,
        `principalType must default to 'ServicePrincipal' (managed identities); it defaults to ${render(principalType.defaultValue)}.`,
      );
    }
  }
  const roleDefinitionVariable = (expression: Expression | undefined): string =>
    expression?.kind === 'identifier'
      ? render(variable(role, expression.name) ?? expression)
      : render(expression);
  for (const resource of role.resources.filter((candidate) => candidate.type === assignmentType)) {
    const body = bodyObject(resource.value);
    const name = render(property(body, 'name'));
    const scope = property(body, 'scope');
    if (scope === undefined) {
      if (name !== groupScopedName) {
        report(
          resource.line,
          `'${resource.symbol}' is named ${name}; a resource-group assignment is named ${groupScopedName}.`,
        );
      }
    } else {
      // `scope: account` or, for a nested child, `scope: account::queueService::queue`.
      const scopeSymbol =
        scope.kind === 'identifier'
          ? scope.name
          : scope.kind === 'member' && scope.operator === '::'
            ? scope.name
            : undefined;
      const scopeResource = role.resources.find(
        (candidate) => candidate.symbol === scopeSymbol && candidate.existing,
      );
      const expected = `guid(${render(scope)}.id, principalId, roleDefinitionId)`;
      if (scopeResource === undefined) {
        report(
          resource.line,
          `'${resource.symbol}' is scoped to ${render(scope)}, which is not an existing resource declared in role.bicep.`,
        );
      } else if (name !== expected) {
        report(
          resource.line,
          `'${resource.symbol}' is named ${name}; a resource-scoped assignment is named ${expected}.`,
        );
      }
    }
    if (render(property(body, 'properties.principalId')) !== 'principalId') {
      report(resource.line, `'${resource.symbol}' must assign to the principalId parameter.`);
    }
    if (render(property(body, 'properties.principalType')) !== 'principalType') {
      report(
        resource.line,
        `'${resource.symbol}' must pass principalType (else UnmatchedPrincipalType or PrincipalNotFound on new identities).`,
      );
    }
    const definition = roleDefinitionVariable(property(body, 'properties.roleDefinitionId'));
    if (
      definition !==
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)"
    ) {
      report(
        resource.line,
        `'${resource.symbol}' has roleDefinitionId ${definition}; use subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId).`,
      );
    }
  }
  return findings;
}

// role.bicep called in a loop over a `grants` parameter: `roleDefinitionId: grant.roleDefinitionId`.
function loopsOverGrantsParameter(file: BicepFile, module: ModuleDeclaration): boolean {
  const loop = module.value;
  if (loop.kind !== 'for' || loop.source.kind !== 'identifier') return false;
  const source = loop.source.name;
  const roleDefinitionId = render(property(bodyObject(loop), 'params.roleDefinitionId'));
  return (
    file.params.some((param) => param.name === source) &&
    roleDefinitionId === `${loop.itemName}.roleDefinitionId`
  );
}

/**
 * Role assignments exist only in role.bicep, named as Microsoft's sample names them; every role
 * granted comes from the catalogue (core/security/roles.json, generated from @keyless/roles).
 */
export function checkRoleAssignments(infra: Infra): Finding[] {
  const findings: Finding[] = [...checkRoleModule(infra.files.get(rolePath))];
  const ids = catalogueRoleIds();
  for (const file of infra.files.values()) {
    const report = (line: number, message: string) =>
      findings.push({ check: 'role-assignments', file: file.path, line, message });
    if (file.path !== rolePath) {
      for (const resource of file.resources.filter(
        (candidate) => candidate.type === assignmentType,
      )) {
        report(
          resource.line,
          `role assignment '${resource.symbol}' bypasses ${rolePath}; call that module (through ${grantsPath}) instead.`,
        );
      }
    }
    for (const module of moduleCalls(file, rolePath)) {
      const roleDefinitionId = property(bodyObject(module.value), 'params.roleDefinitionId');
      const fromCatalogue =
        loopsOverGrantsParameter(file, module) ||
        /^roles\.[A-Za-z]+\.id$/.test(catalogueReference(file, roleDefinitionId) ?? '') ||
        ids.has(render(roleDefinitionId).replace(/^'|'$/g, ''));
      if (!fromCatalogue) {
        report(
          module.line,
          `role.bicep is called with roleDefinitionId ${render(roleDefinitionId)}, which is not from the role catalogue; use a grant from core/security/roles.json.`,
        );
      }
    }
    for (const module of moduleCalls(file, grantsPath)) {
      const grants = property(bodyObject(module.value), 'params.grants');
      const reference = catalogueReference(file, grants);
      if (reference === undefined || !/^(grantsByKind\.[a-z]+|developerGrants)$/.test(reference)) {
        report(
          module.line,
          `grants.bicep is called with grants ${render(grants)}; pass the catalogue's grantsByKind.<kind> or developerGrants (var catalogue = loadJsonContent('core/security/roles.json')).`,
        );
      }
    }
    for (const expression of allExpressions(file)) {
      const value = expression.kind === 'string' ? expression.value : undefined;
      if (value !== undefined && guidLiteral.test(value) && !ids.has(value.toLowerCase())) {
        report(
          expression.line,
          `'${value}' looks like a role definition id outside the catalogue; add the role to @keyless/roles and run npm run roles:sync -w @keyless/infra.`,
        );
      }
    }
  }
  const onDisk = readFileSync(join(infra.location.infraDir, rolesJsonPath), 'utf8');
  if (onDisk !== renderRolesJson()) {
    findings.push({
      check: 'role-assignments',
      file: rolesJsonPath,
      message: `${rolesJsonPath} differs from @keyless/roles; run npm run roles:sync -w @keyless/infra.`,
    });
  }
  return findings;
}
