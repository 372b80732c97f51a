using System.Globalization;

namespace Xmpp.Bench.Metrics;

/// <summary>
/// CPU time and resident memory of the server under test, read from /proc: the sum over its
/// processes (<c>--server-pid 101,102</c> for a two-process cluster).
/// </summary>
internal sealed class ServerProcess(IReadOnlyList<int> pids)
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI that matters.
    private const double TicksPerSecond = 100.0;

    public IReadOnlyList<int> Pids { get; } = [.. pids.Where(p => p > 0)];

    /// <summary>User + system CPU seconds of all the processes' threads so far (0 without a PID, NaN if one is gone).</summary>
    public double CpuSeconds() => Pids.Sum(CpuSeconds);

    /// <summary>Resident set size in bytes (VmRSS, summed), 0 without a PID; a process that is gone counts 0.</summary>
    public long RssBytes() => Pids.Sum(RssBytes);

    private static double CpuSeconds(int pid)
    {
        if (!File.Exists($"/proc/{pid}/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) may contain spaces; fields after its ')' are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    private static long RssBytes(int pid)
    {
        if (!File.Exists($"/proc/{pid}/status"))
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
