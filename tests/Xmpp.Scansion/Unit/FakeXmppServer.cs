using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Unit;

/// <summary>
/// A scriptable stand-in for a server, to test the runner over real sockets: it negotiates like a
/// minimal RFC 6120 server (SASL PLAIN, bind) and then hands every stanza it gets to
/// <see cref="OnStanza"/>, which answers with bursts (each burst is one socket write).
/// </summary>
internal sealed class FakeXmppServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;

    public FakeXmppServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Called with the connection a stanza came from and the stanza.</summary>
    public Func<Connection, Element, Task> OnStanza { get; set; } = (_, _) => Task.CompletedTask;

    public ConcurrentDictionary<string, Connection> ByJid { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        foreach (var connection in ByJid.Values)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(Task.Run(() => new Connection(this, socket).RunAsync(_stop.Token)));
        }
    }

    internal sealed class Connection(FakeXmppServer server, TcpClient tcp)
    {
        private readonly NetworkStream _stream = tcp.GetStream();
        private readonly XmlStreamParser _parser = new();
        private readonly Queue<StreamEvent> _events = new();
        private readonly Lock _writeLock = new();

        public string Jid { get; private set; } = string.Empty;

        /// <summary>Writes the stanzas in one socket write.</summary>
        public async Task WriteAsync(params Element[] stanzas)
        {
            var output = new ArrayBufferWriter<byte>();
            foreach (var stanza in stanzas)
            {
                StanzaWriter.Write(output, stanza);
            }

            await WriteRawAsync(output.WrittenMemory);
        }

        public void Close() => tcp.Dispose();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                await OpenAsync(cancellationToken);
                await WriteRawAsync("<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"u8.ToArray());
                if (await NextAsync(cancellationToken) is not StanzaReceived { Stanza: var auth })
                {
                    throw new IOException("expected <auth/>");
                }

                var credentials = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth.Text)).Split('\0');
                await WriteRawAsync("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"u8.ToArray());
                _parser.Reset();
                await OpenAsync(cancellationToken);
                await WriteRawAsync("<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"u8.ToArray());
                if (await NextAsync(cancellationToken) is not StanzaReceived { Stanza: var bind })
                {
                    throw new IOException("expected the bind request");
                }

                var resource = bind.Child("bind", Namespaces.Bind)?.ChildText("resource", Namespaces.Bind) ?? "generated";
                Jid = $"{credentials[1]}@localhost/{resource}";
                server.ByJid[Jid] = this;
                var result = new Element("iq") { Type = "result", Id = bind.Id };
                result.AddChild("bind", Namespaces.Bind).AddTextChild("jid", Namespaces.Bind, Jid);
                await WriteAsync(result);

                while (await NextAsync(cancellationToken) is StanzaReceived received)
                {
                    received.Stanza.From = Jid;
                    await server.OnStanza(this, received.Stanza);
                }

                await WriteRawAsync("</stream:stream>"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
            finally
            {
                tcp.Dispose();
            }
        }

        private async Task OpenAsync(CancellationToken cancellationToken)
        {
            if (await NextAsync(cancellationToken) is not StreamOpened)
            {
                throw new IOException("expected a stream header");
            }

            await WriteRawAsync("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s' version='1.0'>"u8.ToArray());
        }

        private async Task<StreamEvent?> NextAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            var events = new List<StreamEvent>();
            while (_events.Count == 0)
            {
                var count = await _stream.ReadAsync(buffer, cancellationToken);
                if (count == 0)
                {
                    return null;
                }

                events.Clear();
                _parser.Parse(buffer.AsSpan(0, count), events);
                events.ForEach(_events.Enqueue);
            }

            return _events.Dequeue();
        }

        // Handlers of other connections write here too: one write at a time, each in one piece.
        private Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
        {
            lock (_writeLock)
            {
                _stream.Write(bytes.Span);
            }

            return Task.CompletedTask;
        }
    }
}
