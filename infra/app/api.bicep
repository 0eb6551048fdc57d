// An api-kind service (services.json `kind: "api"`): its own identity, the api grants from
// @keyless/roles, and a Container App with ingress and the /healthz, /readyz probes. The ingress is
// external only with an Entra app registration (`entraAppId`, created by the preprovision hook);
// without one it stays internal to the Container Apps environment. main.bicep loops over api entries.

@description('The service\'s services.json entry: { name, kind, port, description }.')
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

@description('Application (client) id of the api\'s Entra app registration; empty keeps the api internal.')
param entraAppId string = ''

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
    grants: catalogue.grantsByKind.api
    workers: []
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
    ingress: true
    entraAppId: entraAppId
    minReplicas: 1
    env: concat(
      [
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.outputs.clientId
        }
      ],
      sharedEnv
    )
  }
}

output identityClientId string = identity.outputs.clientId
output name string = app.outputs.name
output uri string = app.outputs.uri
output external bool = app.outputs.external
