using System.Globalization;

namespace Xmpp.Scansion.Running;

/// <summary>
/// The runner's timings (SCANSION.md values by default) and where it connects. Environment
/// variables change them for local work:
/// <list type="bullet">
/// <item><c>SCANSION_TARGET=host:port</c> — run the scripts against that server instead of a fresh
/// in-process one per script (e.g. a Prosody, to check the runner itself). The known-failing list
/// does not apply then: every script must pass.</item>
/// <item><c>SCANSION_CLUSTER=processes</c> — each script's fresh cluster is two real server
/// processes on a fresh Azurite instead of two silos in the test process.</item>
/// <item><c>SCANSION_RECEIVE_TIMEOUT_MS</c> — how long a <c>receives</c> waits (5000).</item>
/// <item><c>SCANSION_NOTHING_WAIT_MS</c> — how long <c>receives: nothing</c> waits (5000).</item>
/// </list>
/// </summary>
public sealed record RunnerSettings
{
    public const string TargetVariable = "SCANSION_TARGET";
    public const string ReceiveTimeoutVariable = "SCANSION_RECEIVE_TIMEOUT_MS";
    public const string NothingWaitVariable = "SCANSION_NOTHING_WAIT_MS";
    public const string ClusterVariable = "SCANSION_CLUSTER";

    /// <summary>How long a <c>receives</c> waits for its stanza.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>receives: nothing</c> waits for nothing to come.</summary>
    public TimeSpan NothingWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause after each <c>sends</c>, so stanzas on different connections reach the server in script order.</summary>
    public TimeSpan SendPause { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long <c>disconnects</c> waits for the server to close its side.</summary>
    public TimeSpan DisconnectWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>connects</c> may take (not a scansion rule: a guard against a hung server).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// True: each script's cluster is two real server processes on a fresh Azurite (Azure Storage
    /// clustering and Azure Tables storage) instead of two silos in this process.
    /// </summary>
    public bool Processes { get; init; }

    /// <summary>An external server (<c>SCANSION_TARGET</c>), or null to start one in-process per script.</summary>
    public (string Host, int Port)? Target { get; init; }

    public static RunnerSettings FromEnvironment()
    {
        var settings = new RunnerSettings();
        if (Milliseconds(ReceiveTimeoutVariable) is { } receive)
        {
            settings = settings with { ReceiveTimeout = receive };
        }

        if (Milliseconds(NothingWaitVariable) is { } nothing)
        {
            settings = settings with { NothingWait = nothing };
        }

        settings = Environment.GetEnvironmentVariable(ClusterVariable) switch
        {
            null or "" or "in-process" => settings,
            "processes" => settings with { Processes = true },
            var other => throw new FormatException($"{ClusterVariable}='{other}': expected in-process or processes"),
        };

        if (Environment.GetEnvironmentVariable(TargetVariable) is { Length: > 0 } target)
        {
            settings = settings with { Target = ParseTarget(target) };
        }

        return settings;
    }

    public static (string Host, int Port) ParseTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"{TargetVariable}='{target}' is not host:port");
        }

        return (target[..colon].Trim('[', ']'), port);
    }

    private static TimeSpan? Milliseconds(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : throw new FormatException($"{variable}='{text}' is not a positive number of milliseconds");
    }
}
