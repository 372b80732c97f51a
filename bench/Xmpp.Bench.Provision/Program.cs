using System.Globalization;
using Xmpp.Gateway.Sasl;
using Azure.Data.Tables;
using Xmpp.Storage;
using Xmpp.Storage.AzureTables;
using Xmpp.Storage.Sqlite;

// provision STORE PREFIX COUNT PASSWORD [ITERATIONS]
// Creates PREFIX1..PREFIXCOUNT with SCRAM credentials (what `Xmpp.Server user add` stores); a
// "{i}" in PASSWORD stands for the account's number (tsung's accounts: ts1/pw1, ts2/pw2, ...);
// COUNT 0 creates the one account PREFIX itself (a named one: the pubsub administrator "admin");
// existing accounts are left alone. STORE is a SQLite file, or an Azure Storage connection string
// (one with a TableEndpoint=, e.g. Azurite's) for a cluster on Azure Tables. The derivation runs
// in parallel; the writes go one by one through the store.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: provision DATABASE|AZURE-CONNECTION-STRING PREFIX COUNT PASSWORD [ITERATIONS]");
    return 2;
}

var (path, prefix, count, password) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
var iterations = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : ScramCredentials.DefaultIterations;
await using var database = path.Contains("TableEndpoint=", StringComparison.Ordinal) ? null : new SqliteDatabase(path);
IAccountStore store = database is null ? new AzureTableAccountStore(new TableServiceClient(path)) : new SqliteAccountStore(database);
var existing = (await store.ListAsync()).ToHashSet(StringComparer.Ordinal);
var names = (count == 0 ? [prefix] : Enumerable.Range(1, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))).Where(n => !existing.Contains(n)).ToArray();
var accounts = names.AsParallel().Select(n => ScramCredentials.CreateAccount(n, password.Replace("{i}", n[prefix.Length..], StringComparison.Ordinal), iterations)).ToArray();
var created = 0;
foreach (var account in accounts)
{
    created += await store.CreateAsync(account) ? 1 : 0;
}

Console.WriteLine($"{created} accounts created, {existing.Count} existed, {iterations} SCRAM iterations");
return 0;
