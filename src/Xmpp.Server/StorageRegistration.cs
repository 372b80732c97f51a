using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Storage;
using Xmpp.Storage.Sqlite;

namespace Xmpp.Server;

/// <summary>
/// Chooses the storage provider from <c>Storage:Provider</c> (Sqlite, the default, or InMemory) and
/// <c>Storage:Path</c> (default: <c>xmpp.db</c> in the data folder).
/// </summary>
internal static class StorageRegistration
{
    public static string Describe(IConfiguration configuration) =>
        IsInMemory(configuration) ? "in-memory storage (lost on exit)" : "SQLite at " + SqlitePath(configuration);

    public static IServiceCollection AddConfiguredStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsInMemory(configuration))
        {
            return services.AddInMemoryStorage();
        }

        var provider = configuration[ServerConfiguration.StorageProviderKey];
        if (!string.IsNullOrEmpty(provider) && !provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Unknown Storage:Provider '{provider}' (expected Sqlite or InMemory).");
        }

        return services.AddSqliteStorage(SqlitePath(configuration));
    }

    private static bool IsInMemory(IConfiguration configuration) =>
        configuration[ServerConfiguration.StorageProviderKey] is { } p
        && (p.Equals("InMemory", StringComparison.OrdinalIgnoreCase) || p.Equals("Memory", StringComparison.OrdinalIgnoreCase));

    private static string SqlitePath(IConfiguration configuration) =>
        configuration[ServerConfiguration.StoragePathKey] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(ServerConfiguration.DataDirectory(configuration), "xmpp.db");
}
