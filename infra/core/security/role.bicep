// The only place this template creates role assignments, each at the narrowest scope its role
// names in @keyless/roles (an OpenAI account, one queue, one blob container, a registry, an
// Application Insights resource). The name is guid(<scope resource id>, principalKey, role id):
// re-running a deployment updates an assignment instead of duplicating it, the same role on two
// queues gets two names, and the name is known before the identity exists (what-if can predict it).

@description('Object id of the principal to grant the role to.')
param principalId string

@description('Stable id of the principal known before deployment (an identity\'s resource id, a user\'s object id); names the assignment.')
param principalKey string

@allowed(['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'])
@description('Type of the principal; must match, or Azure answers UnmatchedPrincipalType.')
param principalType string

@description('Built-in role definition id (a GUID from core/security/roles.json, generated from @keyless/roles).')
param roleDefinitionId string

@allowed(['openai', 'storage-queue', 'storage-container', 'registry', 'monitor'])
@description('The kind of resource the assignment is scoped to (RoleScopeKind in @keyless/roles).')
param scopeKind string

@description('Name of the account, registry or Application Insights resource the assignment is scoped to.')
param resourceName string

@description('Queue or blob container name for storage-queue and storage-container scopes.')
param target string = ''

// Existing-resource names must be well formed even where the matching assignment is switched off.
var childName = empty(target) ? 'unused' : target
var roleDefinitionResourceId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)

resource openAiAccount 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = {
  name: resourceName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: resourceName

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

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: resourceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: resourceName
}

resource openAiAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'openai') {
  name: guid(openAiAccount.id, principalKey, roleDefinitionId)
  scope: openAiAccount
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource queueAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'storage-queue') {
  name: guid(storageAccount::queueService::queue.id, principalKey, roleDefinitionId)
  scope: storageAccount::queueService::queue
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource containerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'storage-container') {
  name: guid(storageAccount::blobService::container.id, principalKey, roleDefinitionId)
  scope: storageAccount::blobService::container
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource registryAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'registry') {
  name: guid(registry.id, principalKey, roleDefinitionId)
  scope: registry
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}

resource monitorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (scopeKind == 'monitor') {
  name: guid(appInsights.id, principalKey, roleDefinitionId)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: roleDefinitionResourceId
  }
}
