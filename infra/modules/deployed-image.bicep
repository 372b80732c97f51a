// The image the app runs now, so that `azd provision` after a deploy does not put the placeholder
// back (azd tells whether the app exists through SERVICE_XMPP_RESOURCE_EXISTS).
param appName string
param exists bool

resource app 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: appName
}

output image string? = exists ? app!.properties.template.containers[0].image : null
