// keyless-starter on Azure. The services come from services.json at the repository root (one entry
// per service; `npm run gen` adds entries) and the models from models.json: nothing here names a
// service or a model. Every service gets its own user-assigned identity and only the data roles its
// kind needs (core/security/roles.json, generated from @keyless/roles); every resource that could
// accept a key refuses it; no Container App is reachable from the internet without Entra ID.
// `azd up` deploys this; infra/test compiles, lints and checks it with the real Bicep CLI.
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
@description('Type of principalId: User for a developer, ServicePrincipal in CI (the preprovision hook detects GitHub Actions and Azure Pipelines).')
param principalType string = 'User'

@allowed(['Enabled', 'Disabled'])
@description('Public network access to the Azure OpenAI account.')
param openAiPublicNetworkAccess string = 'Enabled'

@description('Dated Azure OpenAI API version for the services; empty uses the v1 API.')
param openAiApiVersion string = ''

@description('Entra app registrations of the api services as `name=appId` pairs separated by commas (AZURE_API_APP_IDS, set by the preprovision hook). An api with one is reachable from the internet behind Entra ID; an api without one stays internal.')
param apiAppIds string = ''

@description('Images already deployed, as `name=image` pairs separated by commas (AZURE_SERVICE_IMAGES, collected by the preprovision hook from azd\'s SERVICE_<NAME>_IMAGE_NAME), so that provisioning again keeps them.')
param serviceImages string = ''

var models = loadJsonContent('models.json')
var services = loadJsonContent('../services.json').services
var catalogue = loadJsonContent('core/security/roles.json')
var apis = filter(services, service => service.kind == 'api')
var workers = filter(services, service => service.kind == 'worker')
var appIdByService = pairsToObject(apiAppIds)
var imageByService = pairsToObject(serviceImages)

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
// Known before anything is deployed, so that role scopes do not wait on module outputs.
var resourceNames = {
  openai: 'oai-${resourceToken}'
  storage: 'st${resourceToken}'
  registry: 'cr${resourceToken}'
  monitor: 'appi-${resourceToken}'
}

@description('Parses `a=1,b=2` into { a: \'1\', b: \'2\' }; entries without `=` are ignored.')
func pairsToObject(text string) object =>
  toObject(
    filter(split(text, ','), entry => contains(entry, '=')),
    entry => trim(split(entry, '=')[0]),
    entry => trim(substring(entry, indexOf(entry, '=') + 1))
  )

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module openAi 'core/ai/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: resourceNames.openai
    location: location
    tags: tags
    publicNetworkAccess: openAiPublicNetworkAccess
    deployments: [
      for model in [models.chat, models.embedding]: {
        name: model.deployment
        model: {
          name: model.model
          version: model.version
        }
        sku: {
          name: model.sku
          capacity: model.capacity
        }
      }
    ]
  }
}

module storage 'core/storage/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: resourceNames.storage
    location: location
    tags: tags
    queueNames: flatten(map(workers, worker => [worker.queue, worker.poisonQueue]))
    containerNames: map(workers, worker => worker.resultsContainer)
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

module appInsights 'core/monitor/application-insights.bicep' = {
  name: 'application-insights'
  scope: rg
  params: {
    name: resourceNames.monitor
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
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
    name: resourceNames.registry
    location: location
    tags: tags
  }
}

module developerGrants 'core/security/grants.bicep' = if (!empty(principalId)) {
  name: 'grants-developer'
  scope: rg
  dependsOn: [openAi, storage, registry, appInsights]
  params: {
    principalId: principalId
    principalKey: principalId
    principalType: principalType
    grants: catalogue.developerGrants
    workers: workers
    resourceNames: resourceNames
  }
}

// What every service is told, whatever its kind. The Application Insights connection string is
// plain configuration: with local authentication off it holds no secret (its instrumentation key
// authorises nothing), and the exporter signs in with the service's own identity.
var sharedEnv = concat(
  [
    {
      name: 'AZURE_OPENAI_ENDPOINT'
      value: openAi.outputs.endpoint
    }
    {
      name: 'AZURE_OPENAI_CHAT_DEPLOYMENT'
      value: models.chat.deployment
    }
    {
      name: 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'
      value: models.embedding.deployment
    }
    {
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
      value: appInsights.outputs.connectionString
    }
  ],
  empty(openAiApiVersion)
    ? []
    : [
        {
          name: 'AZURE_OPENAI_API_VERSION'
          value: openAiApiVersion
        }
      ]
)

module apiServices 'app/api.bicep' = [
  for service in apis: {
    name: 'service-${service.name}'
    scope: rg
    params: {
      service: service
      location: location
      tags: tags
      resourceToken: resourceToken
      imageName: imageByService[?service.name] ?? ''
      containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
      registryServer: registry.outputs.loginServer
      resourceNames: resourceNames
      sharedEnv: sharedEnv
      entraAppId: appIdByService[?service.name] ?? ''
    }
  }
]

module workerServices 'app/worker.bicep' = [
  for service in workers: {
    name: 'service-${service.name}'
    scope: rg
    params: {
      service: service
      location: location
      tags: tags
      resourceToken: resourceToken
      imageName: imageByService[?service.name] ?? ''
      containerAppsEnvironmentId: containerAppsEnvironment.outputs.id
      registryServer: registry.outputs.loginServer
      resourceNames: resourceNames
      sharedEnv: sharedEnv
      queueEndpoint: storage.outputs.queueEndpoint
      blobEndpoint: storage.outputs.blobEndpoint
    }
  }
]

@description('Region of the deployment (azd reads it).')
output AZURE_LOCATION string = location
@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId
@description('The resource group holding everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('https://ACCOUNT.openai.azure.com (no trailing slash); the services read it.')
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
@description('Chat deployment name (infra/models.json); the services read it.')
output AZURE_OPENAI_CHAT_DEPLOYMENT string = models.chat.deployment
@description('Embedding deployment name (infra/models.json); the services read it.')
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = models.embedding.deployment

@description('Queue endpoint of the storage account (no key, no SAS).')
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
@description('Blob endpoint of the storage account (no key, no SAS).')
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
@description('Where telemetry goes; no secret with local authentication off (ingestion needs an Entra token).')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.outputs.connectionString

@description('Login server azd pushes images to.')
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
@description('Name of the container registry.')
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
@description('Name of the Container Apps environment.')
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerAppsEnvironment.outputs.name

@description('One entry per api service: { name, app, uri, external, appId, identityClientId }. `external` is false when the api has no Entra app registration and is reachable only inside the environment.')
output SERVICE_APIS array = [
  for (service, index) in apis: {
    name: service.name
    app: apiServices[index].outputs.name
    uri: apiServices[index].outputs.uri
    external: apiServices[index].outputs.external
    appId: appIdByService[?service.name] ?? ''
    identityClientId: apiServices[index].outputs.identityClientId
  }
]

@description('One entry per worker service: { name, app, queue, poisonQueue, resultsContainer, identityClientId }.')
output SERVICE_WORKERS array = [
  for (service, index) in workers: {
    name: service.name
    app: workerServices[index].outputs.name
    queue: service.queue
    poisonQueue: service.poisonQueue
    resultsContainer: service.resultsContainer
    identityClientId: workerServices[index].outputs.identityClientId
  }
]
