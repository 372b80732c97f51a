// The server: one Orleans silo per replica, each owning the client connections that reach it.
// infra/README.md says why each setting is what it is.
param name string
param location string
param tags object
param environmentId string

@description('The environment\'s default domain: the app\'s HTTPS address is <name>.<this>.')
param environmentDomain string
param identityId string
param identityClientId string
param registryServer string

@description('The image to run; empty until azd has deployed one, and a public placeholder holds its place.')
param image string

@description('The table endpoint of the storage account, https://<account>.table.core.windows.net/.')
param tableEndpoint string

param xmppDomain string

@secure()
param tlsCertificatePem string

param minReplicas int
param maxReplicas int
param c2sPort int
param clusterId string
param serviceId string

// azd's usual stand-in before the first deploy: the app must exist for azd to deploy into it.
var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
var hasCertificate = !empty(tlsCertificatePem)
var certificateFolder = '/app/tls'
var managementPort = 9464

var settings = [
  // Keyless storage and membership: the table endpoint and the managed identity (AZURE_CLIENT_ID)
  // that DefaultAzureCredential signs in with; AZURE_TOKEN_CREDENTIALS keeps it from trying the
  // developer sign-ins first.
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'AZURE_TOKEN_CREDENTIALS', value: 'ManagedIdentityCredential' }
  { name: 'Storage__Provider', value: 'AzureTables' }
  { name: 'Storage__ServiceUri', value: tableEndpoint }
  { name: 'Orleans__Clustering__Provider', value: 'AzureStorage' }
  { name: 'Orleans__Clustering__ServiceUri', value: tableEndpoint }
  { name: 'Orleans__ClusterId', value: clusterId }
  { name: 'Orleans__ServiceId', value: serviceId }
  { name: 'Xmpp__Domain', value: xmppDomain }
  // Upload slots (XEP-0363) point at the HTTPS ingress, which forwards /upload/… to the HTTP port.
  { name: 'Xmpp__Upload__PublicUrl', value: 'https://${name}.${environmentDomain}/upload' }
  // The probes come from the platform, so the management listener binds every interface.
  { name: 'Management__Port', value: string(managementPort) }
  { name: 'Management__ListenAddress', value: '*' }
  { name: 'Logging__Console__FormatterName', value: 'json' }
  // Clients arrive through the platform's proxies, so one address stands for many of them: the
  // per-address connection cap and login-failure blocking would count them all as one.
  { name: 'Gateway__Limits__MaxConnectionsPerAddress', value: '0' }
  { name: 'Gateway__Auth__AddressFailureThreshold', value: '0' }
  // Idle c2s connections pass a load balancer that forgets idle flows after a few minutes.
  { name: 'Gateway__Limits__WhitespacePingInterval', value: '00:01:00' }
]

var certificateSetting = [{ name: 'Gateway__Tls__CertificatePath', value: '${certificateFolder}/server.pem' }]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // HTTP ingress for the WebSocket endpoint (TLS ends here: wss:// on 443), and c2s as an
      // additional TCP port passed through untouched (STARTTLS is the server's).
      ingress: {
        external: true
        transport: 'http'
        targetPort: 5280
        allowInsecure: false
        additionalPortMappings: [
          {
            external: true
            targetPort: 5222
            exposedPort: c2sPort
          }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: hasCertificate ? [{ name: 'tls-pem', value: tlsCertificatePem }] : []
    }
    template: {
      // The server drains its sessions within Gateway:ShutdownTimeout (10 s; the host gives up 5 s
      // later), then the silo leaves the membership table: 30 s covers both.
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: 'xmpp'
          image: empty(image) ? placeholderImage : image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(settings, hasCertificate ? certificateSetting : [])
          volumeMounts: hasCertificate ? [{ volumeName: 'tls', mountPath: certificateFolder }] : []
          probes: [
            {
              // Up to 60 s for the silo to join the cluster before the other probes count.
              type: 'Startup'
              httpGet: { path: '/healthz', port: managementPort }
              periodSeconds: 2
              failureThreshold: 30
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: managementPort }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // Joined the cluster and listening: only then does ingress send it clients.
              type: 'Readiness'
              httpGet: { path: '/readyz', port: managementPort }
              periodSeconds: 5
              failureThreshold: 2
            }
          ]
        }
      ]
      volumes: hasCertificate ? [{ name: 'tls', storageType: 'Secret', secrets: [{ secretRef: 'tls-pem', path: 'server.pem' }] }] : []
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            // CPU rather than connections: an idle XMPP session costs almost nothing, and the
            // TCP rule is not documented to count the additional c2s port's connections.
            name: 'cpu'
            custom: {
              type: 'cpu'
              metadata: {
                type: 'Utilization'
                value: '70'
              }
            }
          }
        ]
      }
    }
  }
}

output fqdn string = app.properties.configuration.ingress.fqdn
