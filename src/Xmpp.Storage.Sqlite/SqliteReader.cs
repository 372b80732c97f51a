using Microsoft.Data.Sqlite;

namespace Xmpp.Storage.Sqlite;

/// <summary>A pooled read connection with its statements prepared once; used by one caller at a time.</summary>
internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _readState;
    private readonly SqliteCommand _findAccount;
    private readonly SqliteCommand _listAccounts;

    public SqliteReader(SqliteConnection connection)
    {
        _connection = connection;
        _readState = SqliteWriter.Create(
            connection,
            "SELECT etag, data FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name;",
            SqliteWriter.StateKey);
        _findAccount = SqliteWriter.Create(
            connection,
            """
            SELECT sha1_salt, sha1_iterations, sha1_stored_key, sha1_server_key,
                   sha256_salt, sha256_iterations, sha256_stored_key, sha256_server_key
            FROM accounts WHERE username = $username;
            """,
            [("$username", SqliteType.Text)]);
        _listAccounts = SqliteWriter.Create(connection, "SELECT username FROM accounts;", []);
    }

    /// <summary>The connection, for queries built per call (archive queries).</summary>
    public SqliteConnection Connection => _connection;

    public StoredState? ReadState(GrainStateId id)
    {
        SqliteWriter.SetStateKey(_readState, id);
        using var reader = _readState.ExecuteReader();
        return reader.Read() ? new StoredState((byte[])reader[1], reader.GetString(0)) : null;
    }

    public Account? FindAccount(string username)
    {
        _findAccount.Parameters["$username"].Value = username;
        using var reader = _findAccount.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new Account(
            username,
            new ScramCredential((byte[])reader[0], reader.GetInt32(1), (byte[])reader[2], (byte[])reader[3]),
            new ScramCredential((byte[])reader[4], reader.GetInt32(5), (byte[])reader[6], (byte[])reader[7]));
    }

    public List<string> ListAccounts()
    {
        var names = new List<string>();
        using (var reader = _listAccounts.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        // .NET ordinal (UTF-16) order, which SQLite's byte order differs from for some characters.
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public void Dispose()
    {
        _readState.Dispose();
        _findAccount.Dispose();
        _listAccounts.Dispose();
        _connection.Dispose();
    }
}
