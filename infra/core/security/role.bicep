// The only place this template creates role assignments. Named as in Microsoft's "Use Azure OpenAI
// without keys" sample, so re-running a deployment updates an assignment instead of duplicating it.
// `scopeKind` narrows an assignment to one resource (an OpenAI account, a queue, a blob container, a
// registry): least privilege, and the name then includes that resource's id so that the same role
// on two queues gets two names.

@description('Object id of the principal to grant the role to.')
param principalId string

@allowed(['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'])
@description('Type of the principal; must match, or Azure answers UnmatchedPrincipalType.')
param principalType string = 'ServicePrincipal'

@description('Built-in role definition id (a GUID from the role catalogue, core/security/roles.json).')
param roleDefinitionId string

@allowed(['resourceGroup', 'openai', 'storage-queue', 'storage-container', 'registry'])
@description('What the assignment is scoped to: the whole resource group, or one resource in it.')
param scopeKind string = 'resourceGroup'

@description('Name of the account or registry the assignment is scoped to (unused for resourceGroup).')
param resourceName string = ''

@description('Queue or blob container name for storage-queue and storage-container scopes.')
param target string = ''

// Existing-resource names must be well formed even where the matching assignment is switched off.
var accountName = empty(resourceName) ? 'unused' : resourceName
var childName = empty(target) ? 'unused' : target
var roleDefinitionResourceId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)

resource openAiAccount 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: accountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource queue 'queues' existing = {
      name: childName
    }
  }

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource container 'containers' existing = {
      name: childName
    }
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: accountName
}

resource groupAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'resourceGroup') {
  name: guid(subscription().id, resourceGroup().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource openAiAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'openai') {
  name: guid(openAiAccount.id, principalId, roleDefinitionId)
  scope: openAiAccount
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource queueAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'storage-queue') {
  name: guid(storageAccount::queueService::queue.id, principalId, roleDefinitionId)
  scope: storageAccount::queueService::queue
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource containerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'storage-container') {
  name: guid(storageAccount::blobService::container.id, principalId, roleDefinitionId)
  scope: storageAccount::blobService::container
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource registryAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'registry') {
  name: guid(registry.id, principalId, roleDefinitionId)
  scope: registry
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}
