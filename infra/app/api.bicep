// An api-kind service: its own identity, the api grants from the role catalogue, and a Container App
// with external ingress and the /healthz, /readyz probes. main.bicep calls this once per api service.

@description('The service name (apps/<serviceName>).')
param serviceName string

param location string
param tags object = {}
param resourceToken string

@description('Port from the service\'s package.json `keyless.port`.')
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
    grants: catalogue.grantsByKind.api
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
    externalIngress: true
    minReplicas: 1
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
    ], apiVersionEnv)
  }
}

output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output name string = app.outputs.name
output uri string = app.outputs.uri
