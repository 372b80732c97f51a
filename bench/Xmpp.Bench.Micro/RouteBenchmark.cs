using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Grains;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Runtime;
using Xmpp.Runtime.Storage;

namespace Xmpp.Bench.Micro;

/// <summary>
/// The router path of a chat message, without sockets: the sender's UserGrain takes the stanza
/// as the gateway hands it over (<c>ProcessOutboundAsync</c>), routes it by 'to' to the recipient's
/// UserGrain, which pushes it to the bound session's observer. Grain turns run on the thread pool,
/// so allocations are counted process-wide; each message is delivered before the next is sent, so
/// every run takes the same (asynchronous) path and the count is repeatable.
/// </summary>
public sealed class RouteBenchmark : MicroBenchmark
{
    private readonly ServiceProvider _services;
    private readonly CountingSession _receiver = new();
    private readonly CountingSession _senderSession = new();
    private IUserGrain? _sender;
    private readonly string _senderResource = "desk";
    private Element[] _stanzas = [];

    public RouteBenchmark()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.Configure<XmppOptions>(options => options.Domain = "localhost");
        services.AddGrainRuntime();
        services.AddInMemoryStorage();
        services.AddXmppGrains();
        _services = services.BuildServiceProvider();
    }

    public override string Name => "route-chat-message";

    public override int BytesPerOperation => Samples.Message.Length;

    public override bool AllThreads => true;

    public override async ValueTask SetupAsync(int operations)
    {
        if (_sender is null)
        {
            var grains = _services.GetRequiredService<IGrainFactory>();
            var accounts = _services.GetRequiredService<IAccountStore>();
            var credential = new ScramCredential([1], 1, [2], [3]);
            await accounts.CreateAsync(new Account("romeo", credential, credential));
            await accounts.CreateAsync(new Account("juliet", credential, credential));
            _sender = grains.GetGrain<IUserGrain>("romeo@localhost");
            await _sender.BindAsync(_senderResource, grains.CreateObjectReference<ISessionObserver>(_senderSession));
            var juliet = grains.GetGrain<IUserGrain>("juliet@localhost");
            await juliet.BindAsync("balcony", grains.CreateObjectReference<ISessionObserver>(_receiver));
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
            await _sender!.ProcessOutboundAsync(_senderResource, _stanzas[i]);
            await _receiver.Delivered.ReadAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>
    /// Signals each delivered message. A single-reader channel read without a cancellation token
    /// waits without allocating, so the benchmark's own waiting does not show in the figures.
    /// </summary>
    private sealed class CountingSession : ISessionObserver
    {
        private readonly Channel<bool> _delivered = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

        public ChannelReader<bool> Delivered => _delivered.Reader;

        public void Send(IReadOnlyList<Element> stanzas)
        {
            for (var i = 0; i < stanzas.Count; i++)
            {
                if (stanzas[i].Name == Stanza.Message)
                {
                    _delivered.Writer.TryWrite(true);
                }
            }
        }

        public void Close(StreamError error)
        {
        }

        /// <summary>Fails the waiting read: a message was lost or the router hangs.</summary>
        public void GiveUp() => _delivered.Writer.TryComplete(new TimeoutException("a routed message was not delivered in time"));
    }
}
