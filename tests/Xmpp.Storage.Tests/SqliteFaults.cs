using Microsoft.Data.Sqlite;

namespace Xmpp.Storage.Tests;

/// <summary>
/// Opens a database's writer connections (<see cref="Sqlite.SqliteDatabase"/>'s internal
/// constructor) and puts faults on them the way SQLite reports them for a failing file: a file that
/// may not be written opens read-only and refuses writes with SQLITE_READONLY (the connection open
/// at the time is made to do the same with <c>query_only</c>), and a commit that cannot complete is
/// rolled back by SQLite itself (a commit hook that refuses). Shared by the storage and the
/// end-to-end tests.
/// </summary>
public sealed class SqliteFaults
{
    private readonly List<SqliteConnection> _opened = [];
    private volatile bool _readOnly;
    private volatile bool _refuseCommits;

    /// <summary>How many writer connections the database opened (one at start, one after each failure).</summary>
    public int WriterConnectionsOpened
    {
        get
        {
            lock (_opened)
            {
                return _opened.Count;
            }
        }
    }

    public bool RefuseCommits
    {
        get => _refuseCommits;
        set => _refuseCommits = value;
    }

    public SqliteConnection OpenWriter(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (_readOnly)
        {
            builder.Mode = SqliteOpenMode.ReadOnly;
        }

        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        SQLitePCL.raw.sqlite3_commit_hook(connection.Handle, _ => _refuseCommits ? 1 : 0, null);
        lock (_opened)
        {
            _opened.Add(connection);
        }

        return connection;
    }

    /// <summary>The file may not be written any more: the open writer connection refuses writes, new ones open read-only.</summary>
    public void MakeUnwritable()
    {
        _readOnly = true;
        SqliteConnection current;
        lock (_opened)
        {
            current = _opened[^1];
        }

        // SQLite serializes calls on one connection, so this may run beside the writer's loop.
        using var command = current.CreateCommand();
        command.CommandText = "PRAGMA query_only = 1;";
        command.ExecuteNonQuery();
    }

    /// <summary>The fault clears: connections opened from now on may write.</summary>
    public void MakeWritable() => _readOnly = false;
}
