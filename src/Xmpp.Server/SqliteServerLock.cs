using Microsoft.Extensions.Hosting;

namespace Xmpp.Server;

/// <summary>
/// One server per SQLite database: each keeps its grains' state in memory and writes it back with
/// ETags, so a second server on the same file would refuse or overwrite the first one's changes and
/// lose messages between them. The server holds an exclusive lock on <c>&lt;database&gt;.lock</c>
/// from its start to its stop (an OS file lock: a killed server's lock goes with it). The
/// <c>user</c> commands do not take it; they write through SQLite's own locking, as the server does.
/// </summary>
internal sealed class SqliteServerLock(string databasePath) : IHostedService, IDisposable
{
    private FileStream? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = databasePath + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The database {databasePath} is in use by another server (it holds {path}); run one server per database", e);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _lock?.Dispose();
}
