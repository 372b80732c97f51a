// The Container Apps environment: workload profiles (Consumption profile only, so billed per use
// like the Consumption plan), on the VNet's subnet, public (external TCP and HTTP ingress).
param name string
param location string
param tags object
param subnetId string
param workspaceId string

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    vnetConfiguration: {
      infrastructureSubnetId: subnetId
      internal: false
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    // Logs reach the workspace through the diagnostic setting below: no workspace key to hand over.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'ContainerAppConsoleLogs', enabled: true }
      { category: 'ContainerAppSystemLogs', enabled: true }
    ]
  }
}

output environmentId string = environment.id
output defaultDomain string = environment.properties.defaultDomain
output name string = environment.name
