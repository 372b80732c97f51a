using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Xmpp.Storage.Sqlite;

/// <summary>
/// The single writer connection with its statements prepared once. Only the database's writer
/// loop uses it, inside a batch transaction.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertState;
    private readonly SqliteCommand _updateState;
    private readonly SqliteCommand _deleteState;
    private readonly SqliteCommand _stateExists;
    private readonly SqliteCommand _insertAccount;
    private readonly SqliteCommand _updateAccount;
    private readonly SqliteCommand _deleteAccount;
    private readonly SqliteCommand _appendArchive;
    private readonly SqliteCommand _deleteArchive;
    private readonly SqliteCommand _deleteArchiveBefore;
    private readonly SqliteCommand _trimArchive;
    private readonly SqliteCommand[] _commands;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _insertState = Command(
            "INSERT OR IGNORE INTO grain_state (grain_type, grain_key, state_name, etag, data) VALUES ($type, $key, $name, $etag, $data);",
            StateKey.Concat([("$etag", SqliteType.Text), ("$data", SqliteType.Blob)]));
        _updateState = Command(
            "UPDATE grain_state SET etag = $etag, data = $data WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND etag = $expected;",
            StateKey.Concat([("$etag", SqliteType.Text), ("$data", SqliteType.Blob), ("$expected", SqliteType.Text)]));
        _deleteState = Command(
            "DELETE FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND etag = $expected;",
            StateKey.Concat([("$expected", SqliteType.Text)]));
        _stateExists = Command(
            "SELECT 1 FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name;",
            StateKey);
        _insertAccount = Command(
            """
            INSERT OR IGNORE INTO accounts (username, sha1_salt, sha1_iterations, sha1_stored_key, sha1_server_key,
                sha256_salt, sha256_iterations, sha256_stored_key, sha256_server_key)
            VALUES ($username, $sha1_salt, $sha1_iterations, $sha1_stored_key, $sha1_server_key,
                $sha256_salt, $sha256_iterations, $sha256_stored_key, $sha256_server_key);
            """,
            AccountColumns);
        _updateAccount = Command(
            """
            UPDATE accounts SET sha1_salt = $sha1_salt, sha1_iterations = $sha1_iterations, sha1_stored_key = $sha1_stored_key,
                sha1_server_key = $sha1_server_key, sha256_salt = $sha256_salt, sha256_iterations = $sha256_iterations,
                sha256_stored_key = $sha256_stored_key, sha256_server_key = $sha256_server_key
            WHERE username = $username;
            """,
            AccountColumns);
        _deleteAccount = Command("DELETE FROM accounts WHERE username = $username;", [("$username", SqliteType.Text)]);
        _appendArchive = Command(
            "INSERT INTO archive (owner, id, with_bare, with_full, stanza) VALUES ($owner, $id, $with_bare, $with_full, $stanza);",
            [("$owner", SqliteType.Text), ("$id", SqliteType.Integer), ("$with_bare", SqliteType.Text), ("$with_full", SqliteType.Text), ("$stanza", SqliteType.Text)]);
        _deleteArchive = Command("DELETE FROM archive WHERE owner = $owner;", [("$owner", SqliteType.Text)]);
        _deleteArchiveBefore = Command(
            "DELETE FROM archive WHERE owner = $owner AND id < $before;",
            [("$owner", SqliteType.Text), ("$before", SqliteType.Integer)]);
        _trimArchive = Command(
            """
            DELETE FROM archive WHERE owner = $owner AND id < (
                SELECT id FROM archive WHERE owner = $owner ORDER BY id DESC LIMIT 1 OFFSET $keep - 1);
            """,
            [("$owner", SqliteType.Text), ("$keep", SqliteType.Integer)]);
        _commands = [_insertState, _updateState, _deleteState, _stateExists, _insertAccount, _updateAccount, _deleteAccount, _appendArchive, _deleteArchive, _deleteArchiveBefore, _trimArchive];
    }

    internal static (string Name, SqliteType Type)[] StateKey { get; } =
        [("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text)];

    private static (string Name, SqliteType Type)[] AccountColumns { get; } =
    [
        ("$username", SqliteType.Text),
        ("$sha1_salt", SqliteType.Blob), ("$sha1_iterations", SqliteType.Integer), ("$sha1_stored_key", SqliteType.Blob), ("$sha1_server_key", SqliteType.Blob),
        ("$sha256_salt", SqliteType.Blob), ("$sha256_iterations", SqliteType.Integer), ("$sha256_stored_key", SqliteType.Blob), ("$sha256_server_key", SqliteType.Blob),
    ];

    public SqliteTransaction Begin()
    {
        var transaction = _connection.BeginTransaction();
        foreach (var command in _commands)
        {
            command.Transaction = transaction;
        }

        return transaction;
    }

    /// <summary>After a commit: the commands leave the transaction, which is disposed.</summary>
    public void End(SqliteTransaction transaction)
    {
        foreach (var command in _commands)
        {
            command.Transaction = null;
        }

        transaction.Dispose();
    }

    public string WriteState(GrainStateId id, byte[] data, string? expectedEtag, string newEtag)
    {
        SqliteCommand command;
        if (expectedEtag is null)
        {
            command = _insertState;
        }
        else
        {
            command = _updateState;
            command.Parameters["$expected"].Value = expectedEtag;
        }

        SetStateKey(command, id);
        command.Parameters["$etag"].Value = newEtag;
        command.Parameters["$data"].Value = data;
        if (command.ExecuteNonQuery() != 1)
        {
            throw Conflict(id, expectedEtag);
        }

        return newEtag;
    }

    public bool ClearState(GrainStateId id, string? expectedEtag)
    {
        if (expectedEtag is null)
        {
            SetStateKey(_stateExists, id);
            if (_stateExists.ExecuteScalar() is not null)
            {
                throw Conflict(id, expectedEtag);
            }

            return true;
        }

        SetStateKey(_deleteState, id);
        _deleteState.Parameters["$expected"].Value = expectedEtag;
        if (_deleteState.ExecuteNonQuery() != 1)
        {
            throw Conflict(id, expectedEtag);
        }

        return true;
    }

    public bool CreateAccount(Account account) => SetAccount(_insertAccount, account).ExecuteNonQuery() == 1;

    public bool UpdateAccount(Account account) => SetAccount(_updateAccount, account).ExecuteNonQuery() == 1;

    public bool DeleteAccount(string username)
    {
        _deleteAccount.Parameters["$username"].Value = username;
        return _deleteAccount.ExecuteNonQuery() == 1;
    }

    public bool AppendArchive(string owner, IReadOnlyList<Archive.ArchivedStanza> stanzas)
    {
        var p = _appendArchive.Parameters;
        p["$owner"].Value = owner;
        foreach (var stanza in stanzas)
        {
            p["$id"].Value = stanza.Id;
            p["$with_bare"].Value = stanza.WithBare;
            p["$with_full"].Value = stanza.With;
            p["$stanza"].Value = stanza.Xml;
            _appendArchive.ExecuteNonQuery();
        }

        return true;
    }

    public bool DeleteArchive(string owner, long? beforeId)
    {
        var command = beforeId is null ? _deleteArchive : _deleteArchiveBefore;
        command.Parameters["$owner"].Value = owner;
        if (beforeId is { } before)
        {
            command.Parameters["$before"].Value = before;
        }

        command.ExecuteNonQuery();
        return true;
    }

    public bool TrimArchive(string owner, int keep)
    {
        if (keep <= 0)
        {
            return DeleteArchive(owner, null);
        }

        _trimArchive.Parameters["$owner"].Value = owner;
        _trimArchive.Parameters["$keep"].Value = keep;
        _trimArchive.ExecuteNonQuery();
        return true;
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    internal static void SetStateKey(SqliteCommand command, GrainStateId id)
    {
        command.Parameters["$type"].Value = id.GrainType;
        command.Parameters["$key"].Value = id.Key;
        command.Parameters["$name"].Value = id.StateName;
    }

    private static SqliteCommand SetAccount(SqliteCommand command, Account account)
    {
        var p = command.Parameters;
        p["$username"].Value = account.Username;
        p["$sha1_salt"].Value = account.Sha1.Salt;
        p["$sha1_iterations"].Value = account.Sha1.Iterations;
        p["$sha1_stored_key"].Value = account.Sha1.StoredKey;
        p["$sha1_server_key"].Value = account.Sha1.ServerKey;
        p["$sha256_salt"].Value = account.Sha256.Salt;
        p["$sha256_iterations"].Value = account.Sha256.Iterations;
        p["$sha256_stored_key"].Value = account.Sha256.StoredKey;
        p["$sha256_server_key"].Value = account.Sha256.ServerKey;
        return command;
    }

    private SqliteCommand Command(string sql, IEnumerable<(string Name, SqliteType Type)> parameters) =>
        Create(_connection, sql, parameters);

    internal static SqliteCommand Create(SqliteConnection connection, string sql, IEnumerable<(string Name, SqliteType Type)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        return command;
    }

    private static InconsistentStateException Conflict(GrainStateId id, string? expectedEtag) =>
        new($"State {id} was changed by another writer (expected ETag {expectedEtag ?? "none"}).");
}
