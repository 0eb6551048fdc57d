// A worker-kind service: its own identity, the worker grants from the role catalogue, and a Container
// App with no ingress (its /healthz, /readyz probes still run) that KEDA scales on the `jobs` queue,
// authenticated as the worker's own identity (no connection string), down to zero replicas.
// main.bicep calls this once per worker service.

@description('The service name (apps/<serviceName>).')
param serviceName string

param location string
param tags object = {}
param resourceToken string

@description('Port from the service\'s package.json `keyless.port` (its health endpoint).')
param port int

param imageName string = ''
param containerAppsEnvironmentId string
param registryName string
param registryServer string
param openAiAccountName string
param openAiEndpoint string
param chatDeploymentName string
param embeddingDeploymentName string

@description('Dated Azure OpenAI API version; empty uses the v1 API.')
param openAiApiVersion string = ''

param storageAccountName string
param queueEndpoint string
param blobEndpoint string

@description('Messages waiting per replica before KEDA adds another.')
param queueLengthPerReplica int = 5

var catalogue = loadJsonContent('../core/security/roles.json')

module identity '../core/security/managed-identity.bicep' = {
  name: 'identity-${serviceName}'
  params: {
    name: 'id-${serviceName}-${resourceToken}'
    location: location
    tags: tags
  }
}

module grants '../core/security/grants.bicep' = {
  name: 'grants-${serviceName}'
  params: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    grants: catalogue.grantsByKind.worker
    openAiAccountName: openAiAccountName
    storageAccountName: storageAccountName
    registryName: registryName
  }
}

var apiVersionEnv = empty(openAiApiVersion) ? [] : [
  {
    name: 'AZURE_OPENAI_API_VERSION'
    value: openAiApiVersion
  }
]

module app '../core/host/container-app.bicep' = {
  name: 'app-${serviceName}'
  dependsOn: [grants]
  params: {
    name: 'ca-${serviceName}-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    containerAppsEnvironmentId: containerAppsEnvironmentId
    registryServer: registryServer
    identityId: identity.outputs.id
    imageName: imageName
    port: port
    externalIngress: false
    minReplicas: 0
    env: concat([
      {
        name: 'AZURE_CLIENT_ID'
        value: identity.outputs.clientId
      }
      {
        name: 'AZURE_OPENAI_ENDPOINT'
        value: openAiEndpoint
      }
      {
        name: 'AZURE_OPENAI_CHAT_DEPLOYMENT'
        value: chatDeploymentName
      }
      {
        name: 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'
        value: embeddingDeploymentName
      }
      {
        name: 'AZURE_STORAGE_QUEUE_ENDPOINT'
        value: queueEndpoint
      }
      {
        name: 'AZURE_STORAGE_BLOB_ENDPOINT'
        value: blobEndpoint
      }
    ], apiVersionEnv)
    scaleRules: [
      {
        name: 'jobs-queue'
        azureQueue: {
          accountName: storageAccountName
          queueName: catalogue.queues.jobs
          queueLength: queueLengthPerReplica
          identity: identity.outputs.id
        }
      }
    ]
  }
}

output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output name string = app.outputs.name
output uri string = app.outputs.uri
