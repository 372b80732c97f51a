using System.Buffers;
using System.Net.Sockets;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Client;

/// <summary>
/// One scripted client: a plain XMPP c2s connection (RFC 6120) that does what SCANSION.md
/// "Connections" says and nothing else — TCP, stream header, STARTTLS only when required, SASL
/// (SCRAM-SHA-1 if offered, else PLAIN), stream restart, resource bind, session only when
/// advertised as required. No roster request, presence, carbons, stream management or automatic
/// replies. Once bound, a background reader records everything the server sends into a
/// <see cref="ReceiveBuffer"/>. Negotiation lives in <c>ScansionClient.Negotiation.cs</c>.
/// </summary>
public sealed partial class ScansionClient : IAsyncDisposable
{
    private const int ReadBufferBytes = 65536;

    // The server is under test, not the client: its stanzas may be as large and deep as it likes.
    private static readonly XmlParserLimits Limits = new(MaxStanzaBytes: 16 * 1024 * 1024, MaxDepth: 1024, MaxAttributes: 1024);

    private readonly ClientDefinition _definition;
    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _time;
    private readonly XmlStreamParser _parser = new(Limits);
    private readonly List<StreamEvent> _scratch = [];
    private readonly Queue<StreamEvent> _pending = new(); // parsed during negotiation, not yet looked at
    private readonly byte[] _readBuffer = new byte[ReadBufferBytes];

    private TcpClient? _tcp;
    private Stream? _stream;
    private long _offset; // bytes of the server's stream parsed so far
    private long _readCount;
    private Task? _reader;
    private readonly TaskCompletionSource _serverClosedStream = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScansionClient(ClientDefinition definition, string host, int port, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(host);
        _definition = definition;
        _host = definition.ConnectHost ?? host;
        _port = definition.ConnectPort ?? port;
        _time = time ?? TimeProvider.System;
    }

    public string Name => _definition.Name;

    public ClientState State { get; private set; }

    /// <summary>The full JID the server bound, once connected.</summary>
    public string? FullJid { get; private set; }

    /// <summary>Stanzas the server sent after the session was established.</summary>
    public ReceiveBuffer? Buffer { get; private set; }

    /// <summary>Why the background reader stopped, when it was not the client's own doing.</summary>
    public Exception? ReaderError { get; private set; }

    /// <summary>Stanzas that arrived in the same read as the end of negotiation, which the original runner never saw.</summary>
    public IReadOnlyList<Element> DroppedAtConnect { get; private set; } = [];

    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (State != ClientState.NotConnected)
        {
            throw new InvalidOperationException($"{Name} has connected before");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            _tcp = new TcpClient { NoDelay = true };
            await _tcp.ConnectAsync(_host, _port, deadline.Token);
            _stream = _tcp.GetStream();
            FullJid = await NegotiateAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not finish connecting to {_host}:{_port} within {timeout.TotalSeconds:0.#} s");
        }

        // Whatever came in the same read as the last negotiation answer was parsed and dropped
        // by the original runner before the script went on.
        DroppedAtConnect = _pending.OfType<StanzaReceived>().Select(s => s.Stanza).ToList();
        _pending.Clear();
        Buffer = new ReceiveBuffer(_offset, _time);
        State = ClientState.Connected;
        _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
    }

    /// <summary>Writes the stanzas in one go (they are one action of the script).</summary>
    public async Task SendAsync(IReadOnlyList<Element> stanzas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanzas);
        var output = new ArrayBufferWriter<byte>(1024);
        foreach (var stanza in stanzas)
        {
            StanzaWriter.Write(output, stanza, Namespaces.Client);
        }

        await WriteAsync(output.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// Sends <c>&lt;/stream:stream&gt;</c>, waits up to <paramref name="wait"/> for the server to
    /// close its side, then closes the socket. A second call does nothing.
    /// </summary>
    public async Task DisconnectAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (State != ClientState.Connected)
        {
            return;
        }

        State = ClientState.Disconnected;
        try
        {
            var output = new ArrayBufferWriter<byte>(32);
            StanzaWriter.WriteStreamClose(output);
            await WriteAsync(output.WrittenMemory, cancellationToken);
            await Task.WhenAny(_serverClosedStream.Task, _reader!).WaitAsync(wait, _time, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The server had closed already, or did not within the wait: either way, close now.
        }
        finally
        {
            await CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        State = State == ClientState.NotConnected ? ClientState.NotConnected : ClientState.Disconnected;
        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _tcp?.Dispose();
        if (_reader is not null)
        {
            try
            {
                await _reader;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The reader ends with the socket; it reports through the buffer.
            }
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Name} is not connected");
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    // After negotiation: record every network read and the stanzas it completed.
    private async Task ReadLoopAsync()
    {
        var buffer = Buffer!;
        var events = new List<(StreamEvent Event, long EndOffset)>();
        var stanzas = new List<(Element, long)>();
        try
        {
            while (true)
            {
                var count = await _stream!.ReadAsync(_readBuffer);
                if (count == 0)
                {
                    break;
                }

                var readNumber = ++_readCount;
                var arrivedAt = _time.GetTimestamp();
                events.Clear();
                stanzas.Clear();
                StreamErrorException? error = null;
                try
                {
                    Parse(_readBuffer.AsSpan(0, count), events);
                }
                catch (StreamErrorException e)
                {
                    error = e; // what parsed before the bad byte still counts
                }

                var closed = false;
                foreach (var (e, end) in events)
                {
                    if (e is StanzaReceived received)
                    {
                        stanzas.Add((received.Stanza, end));
                    }
                    else if (e is StreamClosed)
                    {
                        closed = true;
                    }
                }

                buffer.OnRead(readNumber, _offset, arrivedAt, stanzas);
                if (closed)
                {
                    _serverClosedStream.TrySetResult();
                }

                if (error is not null)
                {
                    throw error;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or StreamErrorException)
        {
            if (State == ClientState.Connected)
            {
                ReaderError = e;
            }
        }
        finally
        {
            buffer.OnClosed();
        }
    }

    /// <summary>
    /// Parses one read, noting where in the byte stream each event ends: the parser is fed up to
    /// each '>' in turn, since an element can only be complete at one.
    /// </summary>
    private void Parse(ReadOnlySpan<byte> data, List<(StreamEvent Event, long EndOffset)> events)
    {
        while (!data.IsEmpty)
        {
            var gt = data.IndexOf((byte)'>');
            var piece = gt < 0 ? data : data[..(gt + 1)];
            _scratch.Clear();
            try
            {
                _parser.Parse(piece, _scratch);
            }
            finally
            {
                _offset += piece.Length;
                foreach (var e in _scratch)
                {
                    events.Add((e, _offset));
                }
            }

            data = data[piece.Length..];
        }
    }
}
