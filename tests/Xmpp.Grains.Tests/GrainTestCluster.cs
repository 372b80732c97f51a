using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Grains;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Runtime;
using Xmpp.Runtime.Storage;

namespace Xmpp.Grains.Tests;

/// <summary>
/// The grains on the real runtime with in-memory storage, driven the way the gateway drives them:
/// bind a resource, send stanzas as that resource, read what the session receives. Storage
/// outlives <see cref="RestartAsync"/> (a server restart) and counts writes; the runtime and
/// <see cref="XmppOptions"/> can be adjusted per test (e.g. a short idle timeout).
/// </summary>
public sealed class GrainTestCluster : IAsyncDisposable
{
    public const string Domain = "localhost";
    public const string MucService = "conference.localhost";

    private readonly Action<GrainRuntimeOptions>? _runtime;
    private readonly Action<XmppOptions>? _xmpp;
    private ServiceProvider _services;

    public GrainTestCluster(Action<GrainRuntimeOptions>? runtime = null, Action<XmppOptions>? xmpp = null)
    {
        _runtime = runtime;
        _xmpp = xmpp;
        _services = Build();
    }

    public CountingGrainStorage Storage { get; } = new();

    public InMemoryAccountStore Accounts { get; } = new();

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public async Task CreateAccountAsync(string username)
    {
        var credential = new ScramCredential([1], 1, [2], [3]);
        await Accounts.CreateAsync(new Account(username, credential, credential));
    }

    /// <summary>Creates the account if needed and binds a session for the resource.</summary>
    public async Task<Client> ConnectAsync(string user, string resource)
    {
        if (await Accounts.FindAsync(user) is null)
        {
            await CreateAccountAsync(user);
        }

        var session = new RecordingSession();
        var grain = Grains.GetGrain<IUserGrain>($"{user}@{Domain}");
        var reference = Grains.CreateObjectReference<ISessionObserver>(session);
        var jid = await grain.BindAsync(resource, reference);
        return new Client(grain, jid, session, reference);
    }

    /// <summary>Shuts the grains down (deactivating all) and starts afresh on the same storage.</summary>
    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        _services = Build();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.Configure<XmppOptions>(options =>
        {
            options.Domain = Domain;
            options.OfflineMessageLimit = 3;
            options.Admins.Add("admin@" + Domain);
            _xmpp?.Invoke(options);
        });
        services.AddGrainRuntime(_runtime);
        services.AddSingleton<IGrainStorage>(Storage);
        services.AddSingleton<IAccountStore>(Accounts);
        services.AddXmppGrains();
        return services.BuildServiceProvider();
    }

    public sealed record Client(IUserGrain Grain, Jid Jid, RecordingSession Session, ISessionObserver Reference)
    {
        public string Bare => Jid.Bare.ToString();

        /// <summary>Sends XML as this client would: 'from' stamped with the full JID.</summary>
        public Task SendAsync(string xml)
        {
            var stanza = XmlText.Parse(xml);
            stanza.From = Jid.ToString();
            return Grain.ProcessOutboundAsync(Jid.Resource!, stanza);
        }

        public Task<Element> NextAsync() => Session.NextAsync();

        /// <summary>The next stanza of the given kind, skipping others.</summary>
        public async Task<Element> NextAsync(Func<Element, bool> match)
        {
            while (true)
            {
                var next = await NextAsync();
                if (match(next))
                {
                    return next;
                }
            }
        }

        public Task AssertNothingAsync() => Session.AssertNothingAsync();

        public Task DisconnectAsync() => Grain.UnbindAsync(Jid.Resource!, Reference);

        /// <summary>Sends initial presence and consumes its reflection.</summary>
        public async Task GoOnlineAsync(string presence = "<presence/>")
        {
            await SendAsync(presence);
            var reflected = await NextAsync();
            Assert.Equal(Stanza.Presence, reflected.Name);
            Assert.Equal(Jid.ToString(), reflected.From);
        }
    }
}
