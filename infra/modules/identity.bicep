// The app's identity: pulls its image and signs in to the storage account (no keys anywhere).
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output identityId string = identity.id
output clientId string = identity.properties.clientId
