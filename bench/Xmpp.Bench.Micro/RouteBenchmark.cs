using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Xmpp.Grains;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;

namespace Xmpp.Bench.Micro;

/// <summary>
/// The router path of a chat message, without sockets, on an Orleans silo: the sender's UserGrain
/// takes the stanza as the gateway hands it over (<c>ProcessOutboundAsync</c>), routes it by 'to'
/// to the recipient's UserGrain, which pushes it to the bound session (listed in the silo's
/// session directory, as the gateway's are). Grain turns run on the thread pool, so allocations
/// are counted process-wide, the silo's own background work included; each message is delivered
/// before the next is sent, so every run takes the same (asynchronous) path. <c>archived</c>: both
/// accounts archive the message (XEP-0313, the in-memory store) before it is delivered.
/// </summary>
public sealed class RouteBenchmark : MicroBenchmark
{
    private readonly IHost _silo;
    private readonly CountingSession _receiver = new();
    private readonly CountingSession _senderSession = new();
    private IUserGrain? _sender;
    private ISessionObserver? _senderReference;
    private readonly string _senderResource = "desk";
    private Element[] _stanzas = [];

    private readonly bool _archived;

    public RouteBenchmark(bool archived = false)
    {
        _archived = archived;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()));
        builder.Services.Configure<XmppOptions>(options =>
        {
            options.Domain = "localhost";
            options.Archive.Enabled = archived;
        });
        builder.Services.AddInMemoryStorage();
        builder.Services.AddXmppGrains();
        _silo = builder.Build();
    }

    private IServiceProvider Services => _silo.Services;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public override string Name => _archived ? "route-chat-message-archived" : "route-chat-message";

    public override int BytesPerOperation => Samples.Message.Length;

    public override bool AllThreads => true;

    public override async ValueTask SetupAsync(int operations)
    {
        if (_sender is null)
        {
            await _silo.StartAsync();
            var grains = Services.GetRequiredService<IGrainFactory>();
            var accounts = Services.GetRequiredService<IAccountStore>();
            var credential = new ScramCredential([1], 1, [2], [3]);
            await accounts.CreateAsync(new Account("romeo", credential, credential));
            await accounts.CreateAsync(new Account("juliet", credential, credential));
            _sender = grains.GetGrain<IUserGrain>("romeo@localhost");
            var hub = Services.GetRequiredService<SessionHub>().Reference;
            _senderReference = Listed(grains, "romeo@localhost/" + _senderResource, _senderSession);
            await _sender.BindAsync(_senderResource, _senderReference, hub);
            var juliet = grains.GetGrain<IUserGrain>("juliet@localhost");
            await juliet.BindAsync("balcony", Listed(grains, "juliet@localhost/balcony", _receiver), hub);
        }

        // Fresh elements, as the parser produces one per stanza; their creation is not measured.
        _stanzas = new Element[operations];
        for (var i = 0; i < operations; i++)
        {
            var stanza = XmlText.Parse(Samples.Message);
            stanza.From = "romeo@localhost/" + _senderResource;
            _stanzas[i] = stanza;
        }

    }

    public override async ValueTask RunAsync(int operations)
    {
        // One deadline for the whole run: a timeout per wait would allocate inside the measurement.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(operations));
        using var giveUp = deadline.Token.Register(_receiver.GiveUp);
        for (var i = 0; i < operations; i++)
        {
            await _sender!.ProcessOutboundAsync(_senderResource, _senderReference!, [_stanzas[i]]);
            await _receiver.Delivered.ReadAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A session as the gateway makes it: an observer reference, listed in the silo's session directory.</summary>
    private ISessionObserver Listed(IGrainFactory grains, string fullJid, CountingSession session)
    {
        var reference = grains.CreateObjectReference<ISessionObserver>(session);
        Services.GetRequiredService<SessionDirectory>().Register(fullJid, reference, session, Services.GetRequiredService<SessionHub>().Reference);
        return reference;
    }

    /// <summary>
    /// Signals each delivered message. A single-reader channel read without a cancellation token
    /// waits without allocating, so the benchmark's own waiting does not show in the figures.
    /// </summary>
    private sealed class CountingSession : ISessionObserver
    {
        private readonly Channel<bool> _delivered = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

        public ChannelReader<bool> Delivered => _delivered.Reader;

        public Task SendAsync(IReadOnlyList<Element> stanzas)
        {
            for (var i = 0; i < stanzas.Count; i++)
            {
                if (stanzas[i].Name == Stanza.Message)
                {
                    _delivered.Writer.TryWrite(true);
                }
            }

            return Task.CompletedTask;
        }

        public Task CloseAsync(StreamError error) => Task.CompletedTask;

        public Task<SessionHandOver> HandOverAsync(string resumptionId, uint acknowledged) => Task.FromResult(SessionHandOver.NotFound);

        /// <summary>Fails the waiting read: a message was lost or the router hangs.</summary>
        public void GiveUp() => _delivered.Writer.TryComplete(new TimeoutException("a routed message was not delivered in time"));
    }
}
