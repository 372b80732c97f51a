using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>Logs many accounts in with bounded concurrency; failures are counted, not thrown.</summary>
internal static class Clients
{
    public static async Task<XmppConnection?[]> LoginAllAsync(
        Target target, int firstUser, int count, string resource, int concurrency, bool presence, ErrorLog errors, int bufferSize, CancellationToken cancellationToken)
    {
        var connections = new XmppConnection?[count];
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, count))).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                connections[i] = await LoginOneAsync(target, firstUser + i, resource, presence, errors, bufferSize, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return connections;
    }

    public static Task<XmppConnection?> LoginOneAsync(
        Target target, int user, string resource, bool presence, ErrorLog errors, int bufferSize, CancellationToken cancellationToken) =>
        LoginNamedAsync(target, target.User(user), target.EndpointOf(user), resource, presence, errors, bufferSize, cancellationToken);

    /// <summary>An account outside the numbered ones (a pubsub service's administrator).</summary>
    public static async Task<XmppConnection?> LoginNamedAsync(
        Target target, string user, System.Net.IPEndPoint endpoint, string resource, bool presence, ErrorLog errors, int bufferSize, CancellationToken cancellationToken)
    {
        XmppConnection? connection = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            connection = await XmppConnection.ConnectAsync(endpoint, bufferSize, timeout.Token);
            await connection.LoginAsync(target, user, resource, timeout.Token);
            if (presence)
            {
                await connection.SendAsync("<presence/>", timeout.Token);
            }

            return connection;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            errors.Count("login-failed", e);
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            return null;
        }
    }

    public static async Task CloseAllAsync(IEnumerable<XmppConnection?> connections)
    {
        foreach (var chunk in connections.OfType<XmppConnection>().Chunk(100))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
