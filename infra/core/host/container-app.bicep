// One Container App running as one user-assigned identity: that identity pulls the image from the
// registry (AcrPull, no registry password) and is the AZURE_CLIENT_ID the service authenticates as.

param name string
param location string
param tags object = {}

@description('The azd service name (apps/<serviceName>); tags the app so `azd deploy` finds it.')
param serviceName string

param containerAppsEnvironmentId string

@description('Login server of the registry the image comes from.')
param registryServer string

@description('Resource id of the service\'s user-assigned identity.')
param identityId string

@description('Image to run; empty until the first `azd deploy` (a public placeholder runs until then).')
param imageName string = ''

@description('Port the service listens on (the `keyless.port` of its package.json).')
param port int

@description('Environment variables: [{ name, value }]. Values only, never secrets.')
param env array

@description('Serve HTTP from the internet (api) or take no traffic at all (worker).')
param externalIngress bool = false

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

// Both kinds serve these on `port` (the worker without ingress: probes still reach the container).
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

resource app 'Microsoft.App/containerApps@2025-01-01' = {
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
      ingress: externalIngress ? {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      } : null
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

output name string = app.name
output id string = app.id
output fqdn string = externalIngress ? app.properties.configuration.ingress.fqdn : ''
output uri string = externalIngress ? 'https://${app.properties.configuration.ingress.fqdn}' : ''
