using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway;
using Xmpp.Gateway.Sasl;
using Xmpp.Protocol;
using Xmpp.Storage;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Running;

/// <summary>
/// The server a script runs against: a fresh cluster of two silos (conformance profile, ephemeral
/// ports) per script, so no state is left over from another script — in this process, or with
/// <c>SCANSION_CLUSTER=processes</c> two server processes on a fresh Azurite — with the script's
/// clients spread over the silos' c2s listeners (client 1 on silo 1, client 2 on silo 2, client 3
/// on silo 1, …) so that every exchange between clients also crosses silos; or, with
/// <c>SCANSION_TARGET</c>, an external server that the caller keeps fresh.
/// </summary>
/// <remarks>
/// A script of our own may come with <c>NAME.config.json</c> beside it: settings layered over the
/// conformance profile for that script only (e.g. TLS required and real password authentication,
/// to exercise STARTTLS and SCRAM). Without open authentication, the accounts of the script's
/// clients are created with their passwords before the script starts.
/// </remarks>
public sealed class TestTarget : IAsyncDisposable
{
    /// <summary>How many silos (or server processes) a target runs.</summary>
    public const int Silos = 2;

    private readonly IAsyncDisposable? _server;

    private TestTarget(IReadOnlyList<DnsEndPoint> endpoints, IAsyncDisposable? server)
    {
        Endpoints = endpoints;
        _server = server;
    }

    /// <summary>Where the script's clients connect, client i to endpoint i modulo the count.</summary>
    public IReadOnlyList<DnsEndPoint> Endpoints { get; }

    public bool IsExternal => _server is null;

    public static async Task<TestTarget> StartAsync(RunnerSettings settings, ScriptCatalog catalog, string scriptPath, ScansionScript script, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(script);
        if (settings.Target is { } target)
        {
            return new TestTarget([new DnsEndPoint(target.Host, target.Port)], null);
        }

        var overlay = OverlayArguments(scriptPath);
        string[] args = ["--config", catalog.ConformanceConfigPath, "--c2s-port", "0", "--ws-port", "0", "--management-port", "0", .. overlay];
        var openAuthentication = new ConfigurationBuilder().AddJsonFile(catalog.ConformanceConfigPath).AddCommandLine([.. overlay]).Build()
            .GetValue<bool>($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.OpenAuthentication)}");
        if (settings.Processes)
        {
            var processes = await ProcessCluster.StartAsync(Silos, args, cancellationToken);
            return await WithAccountsAsync(processes, processes.Accounts, processes.C2sEndpoints);
        }

        var cluster = await InProcessCluster.StartAsync(Silos, args, cancellationToken);
        return await WithAccountsAsync(cluster, cluster.Services.GetRequiredService<IAccountStore>(), cluster.C2sEndpoints);

        // Without open authentication, the accounts of the script's clients are made first.
        async Task<TestTarget> WithAccountsAsync(IAsyncDisposable server, IAccountStore accounts, IReadOnlyList<IPEndPoint> endpoints)
        {
            try
            {
                if (!openAuthentication)
                {
                    await CreateAccountsAsync(accounts, script, cancellationToken);
                }
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return new TestTarget([.. endpoints.Select(e => new DnsEndPoint(e.Address.ToString(), e.Port))], server);
        }
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>The script's overlay file as <c>--Section:Key=value</c> switches, which the server layers last.</summary>
    private static List<string> OverlayArguments(string scriptPath)
    {
        var overlay = Path.ChangeExtension(scriptPath, ".config.json");
        if (!File.Exists(overlay))
        {
            return [];
        }

        var settings = new ConfigurationBuilder().AddJsonFile(overlay, optional: false).Build();
        return settings.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => $"--{pair.Key}={pair.Value}")
            .ToList();
    }

    private static async Task CreateAccountsAsync(IAccountStore accounts, ScansionScript script, CancellationToken cancellationToken)
    {
        foreach (var client in script.Clients)
        {
            if (client.Jid is not null && client.Password is not null && Jid.Parse(client.Jid).Local is { } username
                && await accounts.FindAsync(username, cancellationToken) is null)
            {
                await accounts.CreateAsync(ScramCredentials.CreateAccount(username, client.Password), cancellationToken);
            }
        }
    }
}
