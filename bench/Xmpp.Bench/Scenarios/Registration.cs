using System.Net;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>Pre-creates accounts on a server that offers in-band registration (Prosody, ejabberd).</summary>
internal static class Registration
{
    public static Task<int> RunAsync(Target target, int first, int n, int concurrency, ErrorLog errors, CancellationToken cancellationToken) =>
        RunAsync(target, [.. Enumerable.Range(first, n).Select(u => (target.User(u), target.EndpointOf(u)))], concurrency, errors, cancellationToken);

    public static async Task<int> RunAsync(Target target, (string User, IPEndPoint Endpoint)[] accounts, int concurrency, ErrorLog errors, CancellationToken cancellationToken)
    {
        var next = -1;
        var created = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < accounts.Length)
            {
                try
                {
                    await using var connection = await XmppConnection.ConnectAsync(accounts[i].Endpoint, 4096, cancellationToken);
                    if (await connection.RegisterAsync(target, accounts[i].User, cancellationToken))
                    {
                        Interlocked.Increment(ref created);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors.Count("register-failed", e);
                }
            }
        }));
        return created;
    }
}
