// keyless-starter on Azure: every service gets its own user-assigned identity and only the data roles
// its kind needs (core/security/roles.json, generated from @keyless/roles); every resource that could
// accept a key refuses it. `azd up` deploys this; infra/test checks it offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Object id of the developer (or CI principal) running azd; gets the data roles so local runs against Azure work. Empty grants nothing.')
param principalId string = ''

@allowed(['Device', 'ForeignGroup', 'Group', 'ServicePrincipal', 'User'])
@description('Type of principalId: User for a developer, ServicePrincipal in CI (else UnmatchedPrincipalType).')
param principalType string = 'User'

@allowed(['Enabled', 'Disabled'])
@description('Public network access to the Azure OpenAI account.')
param openAiPublicNetworkAccess string = 'Enabled'

@description('Chat deployment name (AZURE_OPENAI_CHAT_DEPLOYMENT).')
param chatDeploymentName string = 'gpt-4o-mini'

@description('Chat model name.')
param chatModelName string = 'gpt-4o-mini'

@description('Chat model version.')
param chatModelVersion string = '2024-07-18'

@description('Chat deployment SKU.')
param chatDeploymentSku string = 'GlobalStandard'

@minValue(1)
@description('Chat deployment capacity, in thousands of tokens per minute.')
param chatDeploymentCapacity int = 30

@description('Embedding deployment name (AZURE_OPENAI_EMBEDDING_DEPLOYMENT).')
param embeddingDeploymentName string = 'text-embedding-3-small'

@description('Embedding model name.')
param embeddingModelName string = 'text-embedding-3-small'

@description('Embedding model version.')
param embeddingModelVersion string = '1'

@description('Embedding deployment SKU.')
param embeddingDeploymentSku string = 'Standard'

@minValue(1)
@description('Embedding deployment capacity, in thousands of tokens per minute.')
param embeddingDeploymentCapacity int = 30

@description('Dated Azure OpenAI API version for the services; empty uses the v1 API.')
param openAiApiVersion string = ''

// ── service parameters: api ──
@description('Image of the api service; azd sets SERVICE_API_IMAGE_NAME after the first deploy.')
param apiImageName string = ''
// ── end service parameters: api ──

// ── service parameters: worker ──
@description('Image of the worker service; azd sets SERVICE_WORKER_IMAGE_NAME after the first deploy.')
param workerImageName string = ''
// ── end service parameters: worker ──

var catalogue = loadJsonContent('core/security/roles.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module openAi 'core/ai/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-${resourceToken}'
    location: location
    tags: tags
    publicNetworkAccess: openAiPublicNetworkAccess
    deployments: [
      {
        name: chatDeploymentName
        model: {
          name: chatModelName
          version: chatModelVersion
        }
        sku: {
          name: chatDeploymentSku
          capacity: chatDeploymentCapacity
        }
      }
      {
        name: embeddingDeploymentName
        model: {
          name: embeddingModelName
          version: embeddingModelVersion
        }
        sku: {
          name: embeddingDeploymentSku
          capacity: embeddingDeploymentCapacity
        }
      }
    ]
  }
}

module storage 'core/storage/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    queueNames: [catalogue.queues.jobs, catalogue.queues.poison]
    containerNames: [catalogue.containers.results]
  }
}

module logAnalytics 'core/monitor/log-analytics.bicep' = {
  name: 'log-analytics'
  scope: rg
  params: {
    name: 'log-${resourceToken}'
    location: location
    tags: tags
  }
}

module containerAppsEnvironment 'core/host/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: 'cae-${resourceToken}'
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module registry 'core/host/container-registry.bicep' = {
  name: 'container-registry'
  scope: rg
  params: {
    name: 'cr${resourceToken}'
    location: location
    tags: tags
  }
}

module developerGrants 'core/security/grants.bicep' = if (!empty(principalId)) {
  name: 'grants-developer'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    grants: catalogue.developerGrants
    openAiAccountName: openAi.outputs.name
    storageAccountName: storage.outputs.name
    registryName: registry.outputs.name
  }
}

// ── service: api (kind api) ──
module api 'app/api.bicep' = {
  name: 'service-api'
  scope: rg
  params: {
    serviceName: 'api'
    port: 3000
    imageName: apiImageName
    location: location
    tags: tags
    resourceToken: resourceToken
    containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
    registryName: registry.outputs.name
    registryServer: registry.outputs.loginServer
    openAiAccountName: openAi.outputs.name
    openAiEndpoint: openAi.outputs.endpoint
    chatDeploymentName: chatDeploymentName
    embeddingDeploymentName: embeddingDeploymentName
    openAiApiVersion: openAiApiVersion
    storageAccountName: storage.outputs.name
  }
}
// ── end service: api ──

// ── service: worker (kind worker) ──
module worker 'app/worker.bicep' = {
  name: 'service-worker'
  scope: rg
  params: {
    serviceName: 'worker'
    port: 3001
    imageName: workerImageName
    location: location
    tags: tags
    resourceToken: resourceToken
    containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
    registryName: registry.outputs.name
    registryServer: registry.outputs.loginServer
    openAiAccountName: openAi.outputs.name
    openAiEndpoint: openAi.outputs.endpoint
    chatDeploymentName: chatDeploymentName
    embeddingDeploymentName: embeddingDeploymentName
    openAiApiVersion: openAiApiVersion
    storageAccountName: storage.outputs.name
    queueEndpoint: storage.outputs.queueEndpoint
    blobEndpoint: storage.outputs.blobEndpoint
  }
}
// ── end service: worker ──

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_CHAT_DEPLOYMENT string = chatDeploymentName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = embeddingDeploymentName

output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint

output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerAppsEnvironment.outputs.name

// ── service outputs: api ──
output SERVICE_API_IDENTITY_CLIENT_ID string = api.outputs.identityClientId
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
// ── end service outputs: api ──

// ── service outputs: worker ──
output SERVICE_WORKER_IDENTITY_CLIENT_ID string = worker.outputs.identityClientId
output SERVICE_WORKER_NAME string = worker.outputs.name
// ── end service outputs: worker ──
