// Application Insights on the Log Analytics workspace, ingesting only with Entra ID tokens: with
// DisableLocalAuth the instrumentation key in the connection string authorises nothing, so the
// services export with their own identity (Monitoring Metrics Publisher on this resource).

param name string
param location string
param tags object = {}

@description('Resource id of the Log Analytics workspace that stores the telemetry.')
param logAnalyticsWorkspaceId string

resource component 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspaceId
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output id string = component.id
output name string = component.name
// Not a secret once local auth is off: it only says where to send telemetry; an Entra token is
// still required to send it.
output connectionString string = component.properties.ConnectionString
