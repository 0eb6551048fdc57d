// A worker-kind service (services.json `kind: "worker"`): its own identity, the worker grants from
// @keyless/roles resolved against its OWN queue, poison queue and results container (named in its
// services.json entry), and a Container App with no ingress (its /healthz, /readyz probes still run)
// that KEDA scales on its own queue, authenticated as the worker's identity (no connection string),
// down to zero replicas. main.bicep loops over worker entries.

@description('The service\'s services.json entry: { name, kind, port, description, queue, poisonQueue, resultsContainer }.')
param service object

param location string
param tags object = {}
param resourceToken string

param imageName string = ''
param containerAppsEnvironmentId string
param registryServer string

@description('Names of the shared resources grants are scoped to: { openai, storage, registry, monitor }.')
param resourceNames object

@description('Settings every service receives (endpoints, deployment names, telemetry): [{ name, value }].')
param sharedEnv array

param queueEndpoint string
param blobEndpoint string

@description('Messages waiting per replica before KEDA adds another.')
param queueLengthPerReplica int = 5

var catalogue = loadJsonContent('../core/security/roles.json')
var identityName = 'id-${service.name}-${resourceToken}'

module identity '../core/security/managed-identity.bicep' = {
  name: 'identity-${service.name}'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module grants '../core/security/grants.bicep' = {
  name: 'grants-${service.name}'
  params: {
    principalId: identity.outputs.principalId
    principalKey: resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', identityName)
    principalType: 'ServicePrincipal'
    grants: catalogue.grantsByKind.worker
    workers: [service]
    resourceNames: resourceNames
  }
}

module app '../core/host/container-app.bicep' = {
  name: 'app-${service.name}'
  dependsOn: [grants]
  params: {
    name: 'ca-${service.name}-${resourceToken}'
    location: location
    tags: tags
    serviceName: service.name
    containerAppsEnvironmentId: containerAppsEnvironmentId
    registryServer: registryServer
    identityId: identity.outputs.id
    imageName: imageName
    port: service.port
    ingress: false
    minReplicas: 0
    env: concat(
      [
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.outputs.clientId
        }
        {
          name: 'AZURE_STORAGE_QUEUE_ENDPOINT'
          value: queueEndpoint
        }
        {
          name: 'AZURE_STORAGE_BLOB_ENDPOINT'
          value: blobEndpoint
        }
        {
          name: 'WORKER_QUEUE'
          value: service.queue
        }
        {
          name: 'WORKER_POISON_QUEUE'
          value: service.poisonQueue
        }
        {
          name: 'WORKER_RESULTS_CONTAINER'
          value: service.resultsContainer
        }
      ],
      sharedEnv
    )
    scaleRules: [
      {
        name: 'queue'
        azureQueue: {
          accountName: resourceNames.storage
          queueName: service.queue
          queueLength: queueLengthPerReplica
          identity: identity.outputs.id
        }
      }
    ]
  }
}

output identityClientId string = identity.outputs.clientId
output name string = app.outputs.name
