// Applies a list of grants from core/security/roles.json (`grantsByKind.<kind>` or
// `developerGrants`, generated from @keyless/roles) to one principal, each through role.bicep. A
// grant whose `target` names a slot of a worker's services.json entry ('queue', 'poisonQueue',
// 'resultsContainer') is resolved against each of `workers`: the worker itself for a worker's
// identity, every worker for the deploying developer.

@description('Object id of the principal to grant the roles to.')
param principalId string

@description('Stable id of the principal known before deployment (an identity\'s resource id, a user\'s object id); names the assignments.')
param principalKey string

@allowed(['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'])
@description('Type of the principal.')
param principalType string

@description('Grants from core/security/roles.json: { role, roleDefinitionId, scope, target }.')
param grants array

@description('services.json entries of the workers whose queues and container the slot grants resolve against.')
param workers array

@description('Names of the resources the grants are scoped to: { openai, storage, registry, monitor }.')
param resourceNames object

var assignments = flatten(map(grants, grant => empty(grant.target)
  ? [
      {
        roleDefinitionId: grant.roleDefinitionId
        scope: grant.scope
        target: ''
      }
    ]
  : map(workers, worker => {
      roleDefinitionId: grant.roleDefinitionId
      scope: grant.scope
      target: worker[grant.target]
    })))

var resourceByScope = {
  openai: resourceNames.openai
  'storage-queue': resourceNames.storage
  'storage-container': resourceNames.storage
  registry: resourceNames.registry
  monitor: resourceNames.monitor
}

module assignment 'role.bicep' = [
  for (grant, index) in assignments: {
    name: '${deployment().name}-${index}'
    params: {
      principalId: principalId
      principalKey: principalKey
      principalType: principalType
      roleDefinitionId: grant.roleDefinitionId
      scopeKind: grant.scope
      resourceName: resourceByScope[grant.scope]
      target: grant.target
    }
  }
]
