using System.Globalization;
using System.Net;
using Xmpp.Bench.Net;

namespace Xmpp.Bench;

/// <summary><c>--name value</c> pairs after the command word; every lookup names its default.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public Options(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            _values[args[i][2..]] = args[++i];
        }
    }

    public string String(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A comma-separated list of integers (<c>--port 15222,15223</c>).</summary>
    public int[] Ints(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? [.. v.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : [fallback];

    public Target Target()
    {
        var host = String("host", "127.0.0.1");
        var address = IPAddress.Parse(host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("the load generator only targets loopback addresses");
        }

        var domain = String("domain", "localhost");
        return new Target(
            [.. Ints("port", 5222).Select(port => new IPEndPoint(address, port))],
            domain,
            String("user-prefix", "bench"),
            String("password", "bench"),
            String("mech", "SCRAM-SHA-1,PLAIN"),
            String("muc-domain", "conference." + domain));
    }
}
