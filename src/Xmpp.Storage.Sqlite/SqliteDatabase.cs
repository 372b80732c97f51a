using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Xmpp.Storage.Sqlite;

/// <summary>
/// The embedded database: one SQLite file in WAL mode holding grain state, accounts and message archives.
/// </summary>
/// <remarks>
/// Writes go through one writer connection fed by a channel: everything queued while a commit
/// is in progress is committed together in the next transaction (group commit, one fsync for many
/// writes), each write in its own savepoint so that one failing write does not fail the others.
/// A write's task completes only after its transaction committed with synchronous=FULL, i.e. it is
/// durable; writes are answered in the order they were queued (every write of a batch before the
/// next batch begins), which the message archive relies on (<see cref="SqliteArchiveStore.WritesInOrder"/>). Reads use a small pool of reader connections, which WAL lets run beside the writer.
/// <para>
/// A failure of the file (a full disk, files made read-only, an I/O error) fails the writes it
/// touched and nothing else: the writer connection that saw it is closed, and the next batch
/// opens a new one, so the store takes writes again as soon as the fault clears, without a restart.
/// A connection is not trusted after such an error: SQLite may have rolled the transaction back
/// on its own, which leaves Microsoft.Data.Sqlite's transaction object out of step with it.
/// </para>
/// </remarks>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private const int SchemaVersion = 2;
    private const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Channel<IWriteRequest> _writes = Channel.CreateUnbounded<IWriteRequest>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ConcurrentQueue<SqliteReader> _readers = new();
    private readonly int _maxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly Func<string, SqliteConnection> _openWriter;
    private SqliteWriter? _writer; // null after a failure, until the next batch opens a new one
    private readonly Task _writerLoop;
    private int _disposed;

    /// <summary>Opens (creating if needed) the database file and its schema.</summary>
    public SqliteDatabase(string path, ILogger<SqliteDatabase>? logger = null)
        : this(path, OpenConnection, logger)
    {
    }

    /// <summary>
    /// As the public constructor, with the writer's connections opened by
    /// <paramref name="openWriter"/> (from the connection string): how tests put a fault
    /// between the writer and the file.
    /// </summary>
    internal SqliteDatabase(string path, Func<string, SqliteConnection> openWriter, ILogger<SqliteDatabase>? logger = null)
    {
        _openWriter = openWriter;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Native.EnsureInitialized();
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        CreateOwnerOnly(Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        _logger = logger ?? NullLogger<SqliteDatabase>.Instance;

        using (var connection = OpenConnection(_connectionString))
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            CreateSchema(connection);
        }

        _writer = OpenWriter();

        _writerLoop = Task.Run(WriterLoopAsync);
    }

    /// <summary>The full path of the database file.</summary>
    /// <summary>
    /// The database holds SCRAM keys: create it readable by its owner only. SQLite gives its -wal
    /// and -shm files the database file's mode, so they inherit it.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        using var _ = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    public string Path { get; }

    internal Task<T> WriteAsync<T>(Func<SqliteWriter, T> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = new WriteRequest<T>(operation);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(request), this);

        return request.Task;
    }

    internal T Read<T>(Func<SqliteReader, T> operation)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_readers.TryDequeue(out var reader))
        {
            reader = new SqliteReader(OpenConnection(_connectionString));
        }

        T result;
        try
        {
            result = operation(reader);
        }
        catch
        {
            reader.Dispose(); // a connection that failed is not pooled (see the remarks)
            throw;
        }

        if (_readers.Count < _maxIdleReaders && Volatile.Read(ref _disposed) == 0)
        {
            _readers.Enqueue(reader);
        }
        else
        {
            reader.Dispose();
        }

        return result;
    }

    private static SqliteConnection OpenConnection(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private SqliteWriter OpenWriter()
    {
        var connection = _openWriter(_connectionString);
        try
        {
            // Per connection, not stored in the file: every writer connection sets it.
            Execute(connection, "PRAGMA synchronous=FULL;");
            return new SqliteWriter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the writer connection after a failure; the next batch opens a new one.</summary>
    private void DiscardWriter()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Closing the failed SQLite writer connection failed");
        }

        _writer = null;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new InvalidOperationException($"The database was written by a newer version (schema {current}, this build knows {SchemaVersion}).");
        }

        if (current < SchemaVersion)
        {
            // Every version's tables are created if missing: a file of an older version gains the newer ones.
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS grain_state (
                    grain_type TEXT NOT NULL,
                    grain_key  TEXT NOT NULL,
                    state_name TEXT NOT NULL,
                    etag       TEXT NOT NULL,
                    data       BLOB NOT NULL,
                    PRIMARY KEY (grain_type, grain_key, state_name));
                CREATE TABLE IF NOT EXISTS accounts (
                    username          TEXT NOT NULL PRIMARY KEY,
                    sha1_salt         BLOB NOT NULL,
                    sha1_iterations   INTEGER NOT NULL,
                    sha1_stored_key   BLOB NOT NULL,
                    sha1_server_key   BLOB NOT NULL,
                    sha256_salt       BLOB NOT NULL,
                    sha256_iterations INTEGER NOT NULL,
                    sha256_stored_key BLOB NOT NULL,
                    sha256_server_key BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS archive (
                    owner     TEXT NOT NULL,
                    id        INTEGER NOT NULL,
                    with_bare TEXT NOT NULL,
                    with_full TEXT NOT NULL,
                    stanza    TEXT NOT NULL,
                    PRIMARY KEY (owner, id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS archive_with ON archive (owner, with_bare, id);
                PRAGMA user_version = 2;
                """;
            create.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private async Task WriterLoopAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<IWriteRequest>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<IWriteRequest> batch)
    {
        var fileFailed = false;
        try
        {
            var writer = _writer ??= OpenWriter();
            var transaction = writer.Begin();
            foreach (var request in batch)
            {
                transaction.Save("w");
                if (request.Execute(writer))
                {
                    transaction.Release("w");
                }
                else
                {
                    fileFailed |= request.FailedOnTheFile;
                    transaction.Rollback("w");
                    transaction.Release("w");
                }
            }

            transaction.Commit();
            writer.End(transaction);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "SQLite commit of {Count} writes failed; none of them is stored", batch.Count);
            DiscardWriter();
            foreach (var request in batch)
            {
                request.Abort(e);
            }

            return;
        }

        if (fileFailed)
        {
            DiscardWriter();
        }

        foreach (var request in batch)
        {
            request.Complete();
        }
    }

    /// <summary>Waits for queued writes to commit, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        DiscardWriter(); // a failed file must not fail the shutdown
        while (_readers.TryDequeue(out var reader))
        {
            reader.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static class Native
    {
        static Native() => SQLitePCL.Batteries_V2.Init();

        public static void EnsureInitialized()
        {
            // The static constructor runs once, before the first call returns.
        }
    }

    private interface IWriteRequest
    {
        /// <summary>Runs inside the batch transaction; false when this request failed and its savepoint must be rolled back.</summary>
        bool Execute(SqliteWriter writer);

        /// <summary>Set when <see cref="Execute"/> failed on the file rather than on the request (a conflict).</summary>
        bool FailedOnTheFile { get; }

        /// <summary>The batch committed: answer the caller.</summary>
        void Complete();

        /// <summary>The batch did not commit: nothing of this request is stored.</summary>
        void Abort(Exception exception);
    }

    private sealed class WriteRequest<T>(Func<SqliteWriter, T> operation)
        : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IWriteRequest
    {
        private T _result = default!;
        private Exception? _error;

        public bool FailedOnTheFile => _error is SqliteException;

        public bool Execute(SqliteWriter writer)
        {
            try
            {
                _result = operation(writer);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                TrySetResult(_result);
            }
            else
            {
                TrySetException(_error);
            }
        }

        public void Abort(Exception exception) => TrySetException(_error ?? exception);
    }
}
