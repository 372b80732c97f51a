using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Runtime.Storage;

namespace Xmpp.Storage.Sqlite;

/// <summary>Registers the SQLite provider.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IGrainStorage"/> and <see cref="IAccountStore"/> in one SQLite file at
    /// <paramref name="databasePath"/> (created with its folder and schema on first open).
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.AddSingleton(sp => new SqliteDatabase(databasePath, sp.GetService<ILogger<SqliteDatabase>>()));
        services.AddSingleton<IGrainStorage>(sp => new SqliteGrainStorage(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IAccountStore>(sp => new SqliteAccountStore(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
