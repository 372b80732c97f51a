using System.Globalization;
using Xmpp.Gateway.Sasl;
using Xmpp.Storage.Sqlite;

// provision DATABASE PREFIX COUNT PASSWORD [ITERATIONS]
// Creates PREFIX1..PREFIXCOUNT with SCRAM credentials (what `Xmpp.Server user add` stores);
// existing accounts are left alone. The derivation runs in parallel; the writes go one by one
// through SqliteAccountStore.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: provision DATABASE PREFIX COUNT PASSWORD [ITERATIONS]");
    return 2;
}

var (path, prefix, count, password) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
var iterations = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : ScramCredentials.DefaultIterations;
await using var database = new SqliteDatabase(path);
var store = new SqliteAccountStore(database);
var existing = (await store.ListAsync()).ToHashSet(StringComparer.Ordinal);
var names = Enumerable.Range(1, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).Where(n => !existing.Contains(n)).ToArray();
var accounts = names.AsParallel().Select(n => ScramCredentials.CreateAccount(n, password, iterations)).ToArray();
var created = 0;
foreach (var account in accounts)
{
    created += await store.CreateAsync(account) ? 1 : 0;
}

Console.WriteLine($"{created} accounts created, {existing.Count} existed, {iterations} SCRAM iterations");
return 0;
