// Orleans.Xmpp on Azure Container Apps, as `azd up` provisions it (infra/README.md explains the
// shape and the costs). Subscription scope: azd creates one resource group per environment.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment name; names the resource group and seeds the resources\' names.')
param environmentName string

@minLength(1)
@description('The region of every resource.')
param location string

@description('The user running azd (azd sets it): given table access too, so that the admin CLI works from their machine.')
param principalId string = ''

@minLength(1)
@description('The XMPP domain served (the part after @ in addresses), e.g. example.org.')
param xmppDomain string

@secure()
@description('PEM with the c2s certificate for xmppDomain and its key. Empty: every replica makes its own self-signed one.')
param tlsCertificatePem string = ''

@minValue(1)
@description('Replicas (silos) that always run.')
param minReplicas int = 1

@minValue(1)
@description('Replicas the CPU rule may scale out to.')
param maxReplicas int = 3

@description('The public c2s port (STARTTLS); unique among the environment\'s external TCP ports.')
param c2sPort int = 5222

@description('Orleans cluster id: replicas with the same one form one cluster.')
param clusterId string = 'xmpp'

@description('Orleans service id, stable across deployments.')
param serviceId string = 'orleans-xmpp'

@description('Set by azd (SERVICE_XMPP_RESOURCE_EXISTS): whether the app exists, so a provision keeps its deployed image.')
param xmppExists bool = false

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Known before deployment, so that the role assignments' names (which include it) are too.
var identityName = 'id-xmpp-${token}'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    name: 'log-${token}'
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  scope: group
  params: {
    name: 'vnet-${token}'
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    appIdentityName: identityName
    operatorPrincipalId: principalId
  }
  dependsOn: [identity]
}

module registry 'modules/registry.bicep' = {
  scope: group
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    pullIdentityName: identityName
  }
  dependsOn: [identity]
}

module environment 'modules/environment.bicep' = {
  scope: group
  params: {
    name: 'cae-${token}'
    location: location
    tags: tags
    subnetId: network.outputs.subnetId
    workspaceId: monitoring.outputs.workspaceId
  }
}

module deployedImage 'modules/deployed-image.bicep' = {
  scope: group
  params: {
    appName: 'xmpp'
    exists: xmppExists
  }
}

// Deployed after storage and registry (it takes their outputs), so its identity holds both roles
// when the first replica starts: Orleans joins through the table, the image comes from the registry.
module app 'modules/xmpp-app.bicep' = {
  scope: group
  params: {
    name: 'xmpp'
    location: location
    tags: union(tags, { 'azd-service-name': 'xmpp' })
    environmentId: environment.outputs.environmentId
    environmentDomain: environment.outputs.defaultDomain
    identityId: identity.outputs.identityId
    identityClientId: identity.outputs.clientId
    registryServer: registry.outputs.loginServer
    image: deployedImage.outputs.?image ?? ''
    tableEndpoint: storage.outputs.tableEndpoint
    xmppDomain: xmppDomain
    tlsCertificatePem: tlsCertificatePem
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    c2sPort: c2sPort
    clusterId: clusterId
    serviceId: serviceId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_ENVIRONMENT_NAME string = environment.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output XMPP_DOMAIN string = xmppDomain
output XMPP_HOST string = app.outputs.fqdn
output XMPP_C2S_ENDPOINT string = '${app.outputs.fqdn}:${c2sPort}'
output XMPP_WEBSOCKET_URL string = 'wss://${app.outputs.fqdn}/xmpp-websocket'
