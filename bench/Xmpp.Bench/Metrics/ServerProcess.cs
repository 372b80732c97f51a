using System.Globalization;

namespace Xmpp.Bench.Metrics;

/// <summary>CPU time and resident memory of the server under test, read from /proc.</summary>
internal sealed class ServerProcess(int pid)
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI that matters.
    private const double TicksPerSecond = 100.0;

    public int Pid { get; } = pid;

    /// <summary>User + system CPU seconds of all the process's threads so far (0 without a PID, NaN if it is gone).</summary>
    public double CpuSeconds()
    {
        if (Pid <= 0)
        {
            return 0;
        }

        if (!File.Exists($"/proc/{Pid}/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText($"/proc/{Pid}/stat");

        // The command name (field 2) may contain spaces; fields after its ')' are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Resident set size in bytes (VmRSS), 0 without a PID or if the process is gone.</summary>
    public long RssBytes()
    {
        if (Pid <= 0 || !File.Exists($"/proc/{Pid}/status"))
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
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
