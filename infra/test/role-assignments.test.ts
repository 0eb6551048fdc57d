import { describe, expect, it } from 'vitest';
import { copyRepo, edit, findingsOf } from './fixture.ts';

const messages = (copy: ReturnType<typeof copyRepo>) =>
  findingsOf(copy, 'role-assignments').map((finding) => finding.message);

const strayAssignment = `
resource stray 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, resourceGroup().id, identity.id)
  properties: {
    principalId: identity.properties.principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')
  }
}
`;

describe('role-assignments check', () => {
  it('reports a role assignment declared outside role.bicep', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/security/managed-identity.bicep',
      'output id string',
      `${strayAssignment}\noutput id string`,
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("role assignment 'stray' bypasses core/security/role.bicep"),
    );
  });

  it('reports an assignment in role.bicep whose name is not the guid of scope, principal and role', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/security/role.bicep',
      'name: guid(storageAccount::queueService::queue.id, principalId, roleDefinitionId)',
      'name: guid(principalId, roleDefinitionId)',
    );
    expect(messages(copy)).toContainEqual(
      "'queueAssignment' is named guid(principalId, roleDefinitionId); a resource-scoped assignment is named guid(storageAccount::queueService::queue.id, principalId, roleDefinitionId).",
    );
  });

  it("reports a resource-group assignment not named as in Microsoft's role.bicep", () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/security/role.bicep',
      'name: guid(subscription().id, resourceGroup().id, principalId, roleDefinitionId)',
      'name: guid(resourceGroup().id, principalId)',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("'groupAssignment' is named guid(resourceGroup().id, principalId)"),
    );
  });

  it('reports an assignment scoped to something other than an existing resource declared in role.bicep', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/security/role.bicep',
      '  scope: registry\n',
      '  scope: resourceGroup()\n',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        "'registryAssignment' is scoped to resourceGroup(), which is not an existing resource declared in role.bicep",
      ),
    );
  });

  it('reports role.bicep losing a principal type', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/core/security/role.bicep', "'ForeignGroup', ", '');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('principalType must be @allowed'),
    );
  });

  it('reports an assignment that drops principalType', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/security/role.bicep',
      '    principalType: principalType\n    roleDefinitionId: roleDefinitionResourceId\n  }\n}\n\nresource openAiAssignment',
      '    roleDefinitionId: roleDefinitionResourceId\n  }\n}\n\nresource openAiAssignment',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("'groupAssignment' must pass principalType"),
    );
  });

  it('reports a role id written into the Bicep instead of taken from the catalogue', () => {
    const copy = copyRepo();
    // Owner: a real built-in role the catalogue deliberately leaves out.
    const owner = ['8e3af657', 'a8ff', '443c', 'a75c', '2fe8c4bcb635'].join('-');
    edit(
      copy.repoRoot,
      'infra/core/security/grants.bicep',
      'roleDefinitionId: grant.roleDefinitionId',
      `roleDefinitionId: '${owner}'`,
    );
    const found = messages(copy);
    expect(found).toContainEqual(
      expect.stringContaining(`roleDefinitionId '${owner}', which is not from the role catalogue`),
    );
    expect(found).toContainEqual(
      expect.stringContaining(`'${owner}' looks like a role definition id outside the catalogue`),
    );
  });

  it('reports grants that do not come from the catalogue', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/app/api.bicep', 'grants: catalogue.grantsByKind.api', 'grants: []');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('grants.bicep is called with grants []'),
    );
  });

  it('reports roles.json drifting from @keyless/roles', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/core/security/roles.json', '"name": "AcrPull"', '"name": "AcrPush"');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        'differs from @keyless/roles; run npm run roles:sync -w @keyless/infra',
      ),
    );
  });
});
