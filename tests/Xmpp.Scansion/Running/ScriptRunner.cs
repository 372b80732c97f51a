using System.Net;
using System.Text;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Client;
using Xmpp.Scansion.Matching;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Running;

/// <summary>
/// Plays one script against a server, action by action, the way the original runner does
/// (SCANSION.md): each <c>receives</c> compares the next stanza of that client and fails at once on
/// a mismatch; the chunk model of <see cref="ReceiveBuffer"/> decides what "next" is; stanzas
/// after a client's last <c>receives</c> are ignored.
/// </summary>
public sealed class ScriptRunner
{
    private readonly ScansionScript _script;
    private readonly IReadOnlyList<DnsEndPoint> _endpoints;
    private readonly RunnerSettings _settings;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly ScriptVariables _variables = new();
    private readonly Dictionary<string, ScansionClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Element>> _dropped = new(StringComparer.Ordinal);

    public ScriptRunner(ScansionScript script, string host, int port, RunnerSettings settings, Action<string>? log = null, TimeProvider? time = null)
        : this(script, [new DnsEndPoint(host, port)], settings, log, time)
    {
    }

    /// <summary>A runner whose clients connect to <paramref name="endpoints"/> in turn: the script's first client to the first, and so on, round robin.</summary>
    public ScriptRunner(ScansionScript script, IReadOnlyList<DnsEndPoint> endpoints, RunnerSettings settings, Action<string>? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        _script = script;
        _endpoints = endpoints;
        _settings = settings;
        _log = log ?? (_ => { });
        _time = time ?? TimeProvider.System;
        foreach (var client in script.Clients)
        {
            if (client.Jid is { } jid)
            {
                var slash = jid.IndexOf('/', StringComparison.Ordinal);
                _variables.SetBareJid(client.Name, slash < 0 ? jid : jid[..slash]);
            }
        }
    }

    public ScriptVariables Variables => _variables;

    /// <summary>Where a client connects: by its place among the script's client definitions.</summary>
    public DnsEndPoint EndpointOf(ClientDefinition client)
    {
        var index = _script.Clients.ToList().FindIndex(c => c.Name == client.Name);
        return _endpoints[Math.Max(index, 0) % _endpoints.Count];
    }

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        _log($"# {_script.Name}: {_script.Title}");
        ScriptAction? previous = null;
        try
        {
            foreach (var action in _script.Actions)
            {
                ForgetChunks(action, previous);
                await RunActionAsync(action, cancellationToken);
                previous = action;
            }
        }
        finally
        {
            foreach (var client in _clients.Values)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Anything but a <c>receives</c> right after a <c>receives</c> of the same client drops what
    /// is left of that client's chunk (and of every other client's).
    /// </summary>
    private void ForgetChunks(ScriptAction action, ScriptAction? previous)
    {
        var continuing = IsReceive(action) && previous is not null && IsReceive(previous) && previous.Client == action.Client;
        foreach (var (name, client) in _clients)
        {
            if ((continuing && name == action.Client.Name) || client.Buffer is null)
            {
                continue;
            }

            var dropped = client.Buffer.DropChunk();
            if (dropped.Count > 0)
            {
                var list = DroppedOf(name);
                foreach (var stanza in dropped)
                {
                    _log($"  ({name} drops, same chunk: {stanza.Stanza})");
                    list.Add(stanza.Stanza);
                }
            }
        }
    }

    private static bool IsReceive(ScriptAction action) => action.Kind is ActionKind.Receive or ActionKind.ReceiveNothing;

    private async Task RunActionAsync(ScriptAction action, CancellationToken cancellationToken)
    {
        var name = action.Client.Name;
        switch (action.Kind)
        {
            case ActionKind.Connect:
                await ConnectAsync(action, cancellationToken);
                break;

            case ActionKind.Disconnect:
                if (_clients.TryGetValue(name, out var leaving) && leaving.State == ClientState.Connected)
                {
                    _log($"{name} disconnects");
                    await leaving.DisconnectAsync(_settings.DisconnectWait, cancellationToken);
                }
                else
                {
                    _log($"{name} disconnects: not connected, nothing to do");
                }

                break;

            case ActionKind.Send:
                await SendAsync(action, cancellationToken);
                break;

            case ActionKind.Receive:
                var previousFinished = _time.GetTimestamp();
                foreach (var template in action.Stanzas)
                {
                    // Several stanzas in one block are received like consecutive receives.
                    await ReceiveAsync(action, template, previousFinished, cancellationToken);
                    previousFinished = _time.GetTimestamp();
                }

                break;

            case ActionKind.ReceiveNothing:
                await ReceiveNothingAsync(action, cancellationToken);
                break;

            default:
                throw new InvalidOperationException($"unknown action {action.Kind}");
        }
    }

    private async Task ConnectAsync(ScriptAction action, CancellationToken cancellationToken)
    {
        var name = action.Client.Name;
        if (_clients.ContainsKey(name))
        {
            throw Fail(action, $"{name} connects a second time; a script client connects once");
        }

        var endpoint = EndpointOf(action.Client);
        var client = new ScansionClient(action.Client, endpoint.Host, endpoint.Port, _time);
        _clients[name] = client;
        try
        {
            await client.ConnectAsync(_settings.ConnectTimeout, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or AuthenticationFailedException or TimeoutException or InvalidOperationException
            or System.Security.Authentication.AuthenticationException or StreamErrorException)
        {
            throw Fail(action, $"{name} could not connect: {e.Message}", innerException: e);
        }

        _variables.SetBoundJid(name, client.FullJid!);
        _log($"{name} connects to {endpoint.Host}:{endpoint.Port}: bound {client.FullJid} ({client.Negotiated.Trim()})");
        foreach (var stanza in client.DroppedAtConnect)
        {
            _log($"  ({name} drops, same read as the bind result: {stanza})");
            DroppedOf(name).Add(stanza);
        }
    }

    private async Task SendAsync(ScriptAction action, CancellationToken cancellationToken)
    {
        var name = action.Client.Name;
        if (!_clients.TryGetValue(name, out var client))
        {
            throw Fail(action, $"{name} sends before it connects");
        }

        var stanzas = action.Stanzas.Select(s => Substitute(action, s)).ToList();
        if (client.State != ClientState.Connected)
        {
            _log($"warning: {name} sends after it disconnected; dropped: {string.Join(" ", stanzas)}");
            return;
        }

        foreach (var stanza in stanzas)
        {
            _log($"{name} sends: {stanza}");
        }

        try
        {
            await client.SendAsync(stanzas, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw Fail(action, $"{name} could not send, the connection is gone: {e.Message}", innerException: e);
        }

        await Task.Delay(_settings.SendPause, _time, cancellationToken);
    }

    private async Task ReceiveAsync(ScriptAction action, Element template, long previousFinished, CancellationToken cancellationToken)
    {
        var name = action.Client.Name;
        var expected = Substitute(action, template);
        var client = ConnectedClient(action, expected);
        var (outcome, received) = await client.Buffer!.ReceiveAsync(previousFinished, _settings.ReceiveTimeout, cancellationToken);
        if (outcome != ReceiveOutcome.Stanza)
        {
            var why = outcome == ReceiveOutcome.TimedOut
                ? $"{name} received nothing within {_settings.ReceiveTimeout.TotalSeconds:0.###} s"
                : $"{name}'s connection closed before the stanza came{(client.ReaderError is { } error ? $" ({error.Message})" : string.Empty)}";
            throw Fail(action, why, expected: expected.ToString(), notes: Diagnostics(name, client));
        }

        _log($"{name} receives: {received!.Stanza}");
        MatchResult result;
        try
        {
            result = StanzaMatcher.Match(expected, received.Stanza);
        }
        catch (FormatException e)
        {
            throw Fail(action, e.Message, expected.ToString(), received.Stanza.ToString());
        }

        if (!result.IsMatch)
        {
            throw Fail(action, $"{name} received a stanza that does not match: {result.Difference}", expected.ToString(), received.Stanza.ToString(), Diagnostics(name, client));
        }

        _variables.CaptureAll(result.Captures);
    }

    private async Task ReceiveNothingAsync(ScriptAction action, CancellationToken cancellationToken)
    {
        var name = action.Client.Name;
        if (!_clients.TryGetValue(name, out var client) || client.State != ClientState.Connected)
        {
            _log($"{name} receives nothing: not connected, so nothing can come");
            return;
        }

        var (outcome, received) = await client.Buffer!.ReceiveAsync(_time.GetTimestamp(), _settings.NothingWait, cancellationToken);
        if (outcome == ReceiveOutcome.Stanza)
        {
            throw Fail(action, $"{name} was to receive nothing, but received a stanza", expected: "nothing", received: received!.Stanza.ToString());
        }

        _log($"{name} receives nothing ({outcome})");
    }

    private ScansionClient ConnectedClient(ScriptAction action, Element expected)
    {
        var name = action.Client.Name;
        if (!_clients.TryGetValue(name, out var client))
        {
            throw Fail(action, $"{name} receives before it connects", expected.ToString());
        }

        if (client.State != ClientState.Connected)
        {
            throw Fail(action, $"{name} receives after it disconnected", expected.ToString());
        }

        return client;
    }

    private Element Substitute(ScriptAction action, Element template)
    {
        try
        {
            return _variables.Substitute(template);
        }
        catch (ScansionVariableException e)
        {
            throw Fail(action, e.Message);
        }
    }

    private List<Element> DroppedOf(string client)
    {
        if (!_dropped.TryGetValue(client, out var list))
        {
            list = [];
            _dropped[client] = list;
        }

        return list;
    }

    // What helps to see why a receives went wrong: stanzas the chunk model dropped, and what waits unread.
    private string Diagnostics(string name, ScansionClient client)
    {
        var text = new StringBuilder();
        if (_dropped.TryGetValue(name, out var dropped) && dropped.Count > 0)
        {
            text.Append("  dropped earlier for ").Append(name).Append(" (came in the same chunk as a stanza received before):");
            foreach (var stanza in dropped.TakeLast(5))
            {
                text.Append("\n    ").Append(stanza);
            }

            text.Append('\n');
        }

        var unread = client.Buffer?.Unread() ?? [];
        if (unread.Count > 0)
        {
            text.Append("  arrived for ").Append(name).Append(" but not yet read:");
            foreach (var stanza in unread.Take(5))
            {
                text.Append("\n    ").Append(stanza.Stanza);
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd();
    }

    private ScansionFailureException Fail(ScriptAction action, string problem, string? expected = null, string? received = null, string? notes = null, Exception? innerException = null) =>
        new(_script.Name, action.Line, problem, expected, received, notes, innerException);
}
