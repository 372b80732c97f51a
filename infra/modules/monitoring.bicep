// Where the environment's console and system logs go (the server writes JSON lines there).
param name string
param location string
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    // 30 days are included in the ingestion price (infra/README.md, costs).
    retentionInDays: 30
  }
}

output workspaceId string = workspace.id
