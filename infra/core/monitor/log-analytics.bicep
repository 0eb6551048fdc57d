// Where the Container Apps logs and the services' telemetry go. Logs arrive through a diagnostic
// setting and telemetry through Application Insights with Entra ID, so no workspace key is ever read
// and local (shared key) authentication stays off.

param name string
param location string
param tags object = {}

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    retentionInDays: 30
    sku: {
      name: 'PerGB2018'
    }
    features: {
      disableLocalAuth: true
    }
  }
}

output id string = workspace.id
output name string = workspace.name
