using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Storage;
using Xmpp.Storage.AzureBlobs;
using Xmpp.Storage.AzureTables;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Server;

/// <summary>
/// Chooses the storage provider from <c>Storage:Provider</c>: Sqlite (the default) at
/// <c>Storage:Path</c> (default: <c>xmpp.db</c> in the data folder), AzureTables in the account of
/// <c>Storage:ConnectionString</c> or at <c>Storage:ServiceUri</c> (signed in with a managed
/// identity), or InMemory. Uploaded files go to Azure Blob Storage with AzureTables (the same
/// account), else to <c>upload</c> in the data folder.
/// </summary>
internal static class StorageRegistration
{
    public static string Describe(IConfiguration configuration) =>
        IsInMemory(configuration) ? "in-memory storage (lost on exit)"
        : IsAzureTables(configuration) ? "Azure Tables storage"
        : "SQLite at " + SqlitePath(configuration);

    public static IServiceCollection AddConfiguredStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsInMemory(configuration))
        {
            return services.AddInMemoryStorage().AddDiskUploadStore(UploadDirectory(configuration));
        }

        if (IsAzureTables(configuration))
        {
            var connectionString = configuration["Storage:ConnectionString"];
            var serviceUri = configuration["Storage:ServiceUri"];
            services.AddAzureTableStorage(AzureTableService.Create(
                "Storage",
                "Storage:Provider=AzureTables",
                connectionString,
                serviceUri,
                AzureTableStorageServiceCollectionExtensions.InteractiveClientOptions()));
            services.AddAzureBlobUploadStore(AzureTableService.CreateBlobs(connectionString, serviceUri));
            return services.AddHostedService<StorageStartCheck>();
        }

        var provider = configuration[ServerConfiguration.StorageProviderKey];
        if (!string.IsNullOrEmpty(provider) && !provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Unknown Storage:Provider '{provider}' (expected Sqlite, AzureTables or InMemory).");
        }

        return services.AddSqliteStorage(SqlitePath(configuration)).AddDiskUploadStore(UploadDirectory(configuration));
    }

    /// <summary>The SQLite file when SQLite is the provider, else null.</summary>
    public static string? SqliteDatabase(IConfiguration configuration) =>
        IsInMemory(configuration) || IsAzureTables(configuration) ? null : SqlitePath(configuration);

    private static bool IsAzureTables(IConfiguration configuration) =>
        configuration[ServerConfiguration.StorageProviderKey] is { } p && p.Equals("AzureTables", StringComparison.OrdinalIgnoreCase);

    private static bool IsInMemory(IConfiguration configuration) =>
        configuration[ServerConfiguration.StorageProviderKey] is { } p
        && (p.Equals("InMemory", StringComparison.OrdinalIgnoreCase) || p.Equals("Memory", StringComparison.OrdinalIgnoreCase));

    private static string UploadDirectory(IConfiguration configuration) =>
        Path.Combine(ServerConfiguration.DataDirectory(configuration), "upload");

    private static string SqlitePath(IConfiguration configuration) =>
        configuration[ServerConfiguration.StoragePathKey] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(ServerConfiguration.DataDirectory(configuration), "xmpp.db");
}
