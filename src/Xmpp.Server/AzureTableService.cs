using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Xmpp.Server;

/// <summary>
/// The Azure Table service of a settings section (<c>Storage</c>, <c>Orleans:Clustering</c>), given
/// by exactly one of <c>ConnectionString</c> (an account key or SAS in the settings; Azurite) or
/// <c>ServiceUri</c> (the table endpoint, signed in to with a Microsoft Entra token: no secret in the
/// settings). Storage and clustering share it, so both accept the same settings and say the same
/// about them.
/// </summary>
internal static class AzureTableService
{
    /// <summary>
    /// <see cref="DefaultAzureCredential"/>: on Azure Container Apps the app's managed identity (a
    /// user-assigned one named by <c>AZURE_CLIENT_ID</c>), elsewhere a developer's sign-in (Azure CLI,
    /// azd…). One instance for storage and clustering, so they share its token cache.
    /// </summary>
    private static readonly Lazy<TokenCredential> Credential = new(() => new DefaultAzureCredential());

    /// <summary>
    /// The client for the section's settings; <paramref name="requiredBy"/> (e.g.
    /// <c>Storage:Provider=AzureTables</c>) is named when neither is given. Settings that cannot
    /// work are refused here, naming them, rather than on the first request.
    /// </summary>
    public static TableServiceClient Create(string section, string requiredBy, string? connectionString, string? serviceUri, TableClientOptions? options = null)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(connectionString);
        var hasServiceUri = !string.IsNullOrWhiteSpace(serviceUri);
        if (hasConnectionString && hasServiceUri)
        {
            throw new InvalidOperationException(
                $"{section}:ConnectionString and {section}:ServiceUri are both set: give one (ServiceUri signs in with a managed identity or your Azure sign-in, no key).");
        }

        if (hasServiceUri)
        {
            return new TableServiceClient(ServiceUri(section, serviceUri!), Credential.Value, options);
        }

        if (!hasConnectionString)
        {
            throw new InvalidOperationException($"{section}:ConnectionString or {section}:ServiceUri is required with {requiredBy}.");
        }

        try
        {
            return new TableServiceClient(connectionString, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{section}:ConnectionString is not an Azure Storage connection string: {e.Message}", e);
        }
    }

    /// <summary>
    /// The same account's blob service (uploaded files), for settings <see cref="Create"/> accepted:
    /// from the connection string, or at the blob endpoint of the table endpoint's account
    /// (<c>https://&lt;account&gt;.blob.core.windows.net</c>) with the same sign-in.
    /// </summary>
    public static BlobServiceClient CreateBlobs(string? connectionString, string? serviceUri)
    {
        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            return new BlobServiceClient(connectionString);
        }

        var table = new Uri(serviceUri);
        var blobs = new UriBuilder(table) { Host = table.Host.Replace(".table.", ".blob.", StringComparison.Ordinal) }.Uri;
        return new BlobServiceClient(blobs, Credential.Value);
    }

    /// <summary>
    /// Whether a failure is the credential's: no token could be had (no identity assigned, a wrong
    /// <c>AZURE_CLIENT_ID</c>, no sign-in on a developer's machine).
    /// </summary>
    public static bool IsSignInFailure(Exception e) => e is AuthenticationFailedException or CredentialUnavailableException;

    /// <summary>
    /// Only https: Azure.Core refuses to send a bearer token over plain http, which would otherwise
    /// surface on the first request as an unexplained error.
    /// </summary>
    private static Uri ServiceUri(string section, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidOperationException(
                $"{section}:ServiceUri '{value}' is not an absolute https URI (the table endpoint, https://<account>.table.core.windows.net).");
}
