using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;

namespace Xmpp.Bench.Scenarios;

/// <summary>
/// One logged-in client of a fan-out scenario. Unlike the chat scenarios' participants it has to
/// answer the server from its receive loop (subscription requests, roster pushes, the servers'
/// disco#info queries about its caps) while the scenario sends its own requests, so every send
/// goes through one lock: two sends on one socket must not interleave.
/// </summary>
internal sealed class FanoutClient(int index, XmppConnection connection, ErrorLog errors) : IDisposable
{
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _pending = new(StringComparer.Ordinal);
    private int _discoQueries;

    /// <summary>The recipient number the meter knows it by (0-based); -1 for a client that is no recipient.</summary>
    public int Index { get; set; } = index;

    public string FullJid => connection.FullJid;

    public string BareJid => FullJid.Split('/')[0];

    /// <summary>What this client answers a server's disco#info query with; null: an error.</summary>
    public ClientCaps? Caps { get; init; }

    /// <summary>Whether an approved subscription request is returned with one of its own (the publisher's side of 'both').</summary>
    public bool SubscribeBack { get; init; }

    /// <summary>Messages (events) as they arrive, on the receive loop; the bytes are valid during the call only.</summary>
    public Action<FanoutClient, ReadOnlyMemory<byte>>? OnMessage { get; set; }

    /// <summary>How many disco#info queries the server sent this client (about its caps, XEP-0115 §6.3).</summary>
    public int DiscoQueries => Volatile.Read(ref _discoQueries);

    public XmppConnection Connection => connection;

    public async Task SendAsync(string xml, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await connection.SendAsync(xml, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends an iq request and waits for its result or error (the whole element).</summary>
    public async Task<string> QueryAsync(string id, string iq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            await SendAsync(iq, cancellationToken);
            return await answer.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task<bool> ReceiveAsync(CancellationToken stop) => connection.ReceiveLoopAsync(Dispatch, stop);

    private void Dispatch(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith("<message"u8))
        {
            OnMessage?.Invoke(this, bytes);
        }
        else if (span.StartsWith("<iq"u8))
        {
            OnIq(Encoding.UTF8.GetString(span));
        }
        else if (span.StartsWith("<presence"u8) && (span.IndexOf("type='subscribe'"u8) >= 0 || span.IndexOf("type=\"subscribe\""u8) >= 0))
        {
            // A subscription request (RFC 6121 §3.1.3): approved, and for the publisher returned.
            var from = XmlScan.Attribute(Encoding.UTF8.GetString(span), "from");
            Post($"<presence to='{from}' type='subscribed'/>" + (SubscribeBack ? $"<presence to='{from}' type='subscribe'/>" : string.Empty));
        }
    }

    private void OnIq(string iq)
    {
        var type = XmlScan.Attribute(iq, "type");
        var id = XmlScan.Attribute(iq, "id");
        if (type is "result" or "error")
        {
            if (id is not null && _pending.TryGetValue(id, out var waiter))
            {
                waiter.TrySetResult(iq);
            }

            return;
        }

        var from = XmlScan.Attribute(iq, "from");
        var to = from is null ? string.Empty : $" to='{from}'";
        if (type == "get" && Caps is not null && iq.Contains("http://jabber.org/protocol/disco#info", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _discoQueries);
            Post(Caps.DiscoResult(iq));
        }
        else if (type == "set" && iq.Contains("jabber:iq:roster", StringComparison.Ordinal))
        {
            Post($"<iq type='result'{to} id='{id}'/>"); // a roster push (RFC 6121 §2.1.6)
        }
        else
        {
            Post($"<iq type='error'{to} id='{id}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        }
    }

    /// <summary>A send from the receive loop, which must not wait for it: it goes on behind, a failure is counted.</summary>
    private void Post(string xml) => _ = PostAsync(xml);

    private async Task PostAsync(string xml)
    {
        try
        {
            await SendAsync(xml, CancellationToken.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            errors.Count("send-failed", e);
        }
    }

    public void Dispose() => _sending.Dispose();
}
