using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Storage.Archive;

namespace Xmpp.Storage.Sqlite;

/// <summary>Registers the SQLite provider.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IStateStore"/>, <see cref="IAccountStore"/> and <see cref="IArchiveStore"/> in one SQLite file at
    /// <paramref name="databasePath"/> (created with its folder and schema on first open), with
    /// Orleans' default grain storage over them.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.AddSingleton(sp => new SqliteDatabase(databasePath, sp.GetService<ILogger<SqliteDatabase>>()));
        services.AddSingleton<IStateStore>(sp => new SqliteStateStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IAccountStore>(sp => new SqliteAccountStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IArchiveStore>(sp => new SqliteArchiveStore(sp.GetRequiredService<SqliteDatabase>()));
        return services.AddStateStoreGrainStorage();
    }
}
