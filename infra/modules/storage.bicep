// The storage account of Orleans' membership table and of the server's state, accounts and
// archives. Microsoft Entra sign-in only: shared keys (and so connection strings) are turned off.
param name string
param location string
param tags object

@description('The app\'s managed identity (in this resource group).')
param appIdentityName string

@description('The user running azd, for the admin CLI; empty for none.')
param operatorPrincipalId string

// Storage Table Data Contributor (built-in role): read, write and create tables.
var tableDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')

// Storage Blob Data Contributor (built-in role): uploaded files (XEP-0363) in the xmppupload container.
var blobDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource appAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, tableDataContributor)
  scope: account
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: tableDataContributor
  }
}

resource appBlobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, blobDataContributor)
  scope: account
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: blobDataContributor
  }
}

resource operatorAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account.id, operatorPrincipalId, tableDataContributor)
  scope: account
  properties: {
    principalId: operatorPrincipalId
    principalType: 'User'
    roleDefinitionId: tableDataContributor
  }
}

output tableEndpoint string = account.properties.primaryEndpoints.table
