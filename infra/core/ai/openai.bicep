// Azure OpenAI with key authentication switched off: every call needs an Entra ID token and a data role.

param name string
param location string
param tags object = {}

@allowed(['Enabled', 'Disabled'])
@description('Public network access to the account; Disabled needs a private endpoint you add yourself.')
param publicNetworkAccess string = 'Enabled'

@description('Model deployments: { name, model: { name, version }, sku: { name, capacity } }.')
param deployments array

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

// One at a time: Azure OpenAI rejects concurrent deployment writes on one account.
@batchSize(1)
resource modelDeployments 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = [
  for deployment in deployments: {
    parent: account
    name: deployment.name
    sku: deployment.sku
    properties: {
      model: {
        format: 'OpenAI'
        name: deployment.model.name
        version: deployment.model.version
      }
    }
  }
]

var rawEndpoint = account.properties.endpoint

output name string = account.name
output id string = account.id
// Without the trailing slash, the form @keyless/auth documents (https://<account>.openai.azure.com).
output endpoint string = endsWith(rawEndpoint, '/') ? substring(rawEndpoint, 0, max(length(rawEndpoint) - 1, 0)) : rawEndpoint
