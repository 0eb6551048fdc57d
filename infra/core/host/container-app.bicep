// One Container App running as one user-assigned identity: that identity pulls the image from the
// registry (AcrPull, no registry password) and is the AZURE_CLIENT_ID the service authenticates as.
// Nothing here accepts anonymous internet traffic: ingress is external only together with Container
// Apps' built-in Entra ID authentication (bearer tokens for `entraAppId`, 401 for anonymous calls,
// no client secret); without an app id, ingress stays internal to the environment.

param name string
param location string
param tags object = {}

@description('The service name in services.json; tags the app so `azd deploy` finds it.')
param serviceName string

param containerAppsEnvironmentId string

@description('Login server of the registry the image comes from.')
param registryServer string

@description('Resource id of the service\'s user-assigned identity.')
param identityId string

@description('Image to run; empty until the first `azd deploy` (a public placeholder runs until then).')
param imageName string = ''

@description('Port the service listens on (its services.json `port`).')
param port int

@description('Environment variables: [{ name, value }]. Values only, never secrets.')
param env array

@description('Take HTTP traffic (an api) or none at all (a worker; its probes still run).')
param ingress bool

@description('Application (client) id of the Entra app registration whose tokens the app accepts; makes ingress external. Empty keeps ingress internal.')
param entraAppId string = ''

@description('Path that answers 200 while the process is alive (Container Apps restarts it otherwise).')
param livenessPath string = '/healthz'

@description('Path that answers 200 when the service can do its work (no traffic or scale-in until then).')
param readinessPath string = '/readyz'

@description('Scale rules (for example a KEDA azure-queue rule authenticated with identityId).')
param scaleRules array = []

param minReplicas int = 0
param maxReplicas int = 10

param cpu string = '0.5'
param memory string = '1Gi'

var external = ingress && !empty(entraAppId)

// Both kinds serve these on `port` (a worker without ingress: probes still reach the container).
var probes = [
  {
    type: 'Liveness'
    httpGet: {
      path: livenessPath
      port: port
    }
    periodSeconds: 10
  }
  {
    type: 'Readiness'
    httpGet: {
      path: readinessPath
      port: port
    }
    periodSeconds: 10
    failureThreshold: 3
  }
]

var image = empty(imageName) ? 'mcr.microsoft.com/k8se/quickstart:latest' : imageName

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: containerAppsEnvironmentId
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: ingress
        ? {
            external: external
            targetPort: port
            transport: 'auto'
            allowInsecure: false
          }
        : null
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: serviceName
          image: image
          env: concat(env, [
            {
              name: 'PORT'
              value: string(port)
            }
          ])
          probes: probes
          resources: {
            cpu: json(cpu)
            memory: memory
          }
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: scaleRules
      }
    }
  }
}

// Entra ID in front of the app, bearer-token mode: the platform validates tokens issued for the app
// registration (v2 tokens carry the client id as audience, v1 tokens the api:// URI) and answers 401
// to anything else. No client secret: validating a bearer token needs none.
resource auth 'Microsoft.App/containerApps/authConfigs@2025-07-01' = if (external) {
  parent: app
  name: 'current'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      unauthenticatedClientAction: 'Return401'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraAppId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${entraAppId}'
            entraAppId
          ]
        }
      }
    }
  }
}

output name string = app.name
output id string = app.id
output fqdn string = ingress ? app.properties.configuration.ingress.fqdn : ''
output uri string = ingress ? 'https://${app.properties.configuration.ingress.fqdn}' : ''
output external bool = external
