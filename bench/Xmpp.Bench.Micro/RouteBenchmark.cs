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
        for (var i = 0; i < operations; i++)
        {
            await _sender!.ProcessOutboundAsync(_senderResource, _stanzas[i]);
            if (!await _receiver.Delivered.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the message was not delivered");
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _receiver.Dispose();
        _senderSession.Dispose();
        await _services.DisposeAsync();
        await base.DisposeAsync();
    }

    private sealed class CountingSession : ISessionObserver, IDisposable
    {
        public SemaphoreSlim Delivered { get; } = new(0);

        public void Send(IReadOnlyList<Element> stanzas)
        {
            for (var i = 0; i < stanzas.Count; i++)
            {
                if (stanzas[i].Name == Stanza.Message)
                {
                    Delivered.Release();
                }
            }
        }

        public void Close(StreamError error)
        {
        }

        public void Dispose() => Delivered.Dispose();
    }
}
