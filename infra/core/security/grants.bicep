// Applies a list of grants from the role catalogue (core/security/roles.json: `grantsByKind.<kind>`
// or `developerGrants`) to one principal, each through role.bicep at the narrowest scope it names.

@description('Object id of the principal to grant the roles to.')
param principalId string

@allowed(['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'])
@description('Type of the principal.')
param principalType string = 'ServicePrincipal'

@description('Grants from core/security/roles.json: { role, roleDefinitionId, scope, target }.')
param grants array

@description('The Azure OpenAI account the openai-scoped grants apply to.')
param openAiAccountName string

@description('The storage account holding the queues and containers the storage grants apply to.')
param storageAccountName string

@description('The container registry the registry-scoped grants apply to.')
param registryName string

module assignments 'role.bicep' = [
  for (grant, index) in grants: {
    name: '${deployment().name}-${index}'
    params: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: grant.roleDefinitionId
      scopeKind: grant.scope
      resourceName: grant.scope == 'openai' ? openAiAccountName : (grant.scope == 'registry' ? registryName : storageAccountName)
      target: grant.target
    }
  }
]
