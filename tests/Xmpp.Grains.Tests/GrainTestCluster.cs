using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.TestingHost;
using Xmpp.Grains;
using Xmpp.Grains.Users;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Tests;

/// <summary>
/// The grains on an Orleans test cluster (one in-process silo) with in-memory storage, driven the
/// way the gateway drives them: bind a resource, send stanzas as that resource, read what the
/// session receives. The sessions are Orleans observers of the silo, reached through Orleans
/// messages (they are not in the silo's session directory). Storage outlives
/// <see cref="RestartAsync"/> (a server restart) and counts writes; idle collection and
/// <see cref="XmppOptions"/> can be adjusted per test (e.g. a short idle timeout).
/// </summary>
public sealed class GrainTestCluster : IAsyncDisposable
{
    public const string Domain = "localhost";
    public const string MucService = "conference.localhost";

    private readonly Action<GrainCollectionOptions>? _collection;
    private readonly Action<XmppOptions>? _xmpp;
    private readonly short _silos;
    private readonly Action<IServiceCollection>? _services;
    private Task<InProcessTestCluster> _cluster;

    // Hubs standing for other silos: one on the silo (Orleans calls, not serialized) and one on the
    // external client (serialized), each kept alive here as the gateway keeps its silo's hub.
    private readonly RecordingHub _hub = new();
    private readonly RecordingHub _clientHub = new();
    private Routing.ISessionHub? _hubReference;
    private Routing.ISessionHub? _clientHubReference;

    /// <param name="services">Adds to every silo's services (e.g. a call filter, a placement strategy), after the XMPP grains'.</param>
    public GrainTestCluster(Action<GrainCollectionOptions>? collection = null, Action<XmppOptions>? xmpp = null, short silos = 1, Action<IServiceCollection>? services = null)
    {
        _collection = collection;
        _xmpp = xmpp;
        _silos = silos;
        _services = services;
        _cluster = Task.Run(StartAsync);
    }

    /// <summary>The grain and observer calls each silo made, by interface and method, in the order of the silos.</summary>
    public IReadOnlyList<CallCounter> Calls => [.. _cluster.GetAwaiter().GetResult().Silos.Select(s => _calls[s.Name])];

    // By silo name: the silos are not configured in the order of the cluster's list.
    private readonly ConcurrentDictionary<string, CallCounter> _calls = new();

    /// <summary>Has Orleans deactivate the grain now, as it would when its silo's directory partition is lost.</summary>
    public async Task DeactivateAsync(IAddressable grain) => await (await _cluster).DeactivateAsync(grain);

    /// <summary>The silos, in order (their services).</summary>
    public async Task<IReadOnlyList<IServiceProvider>> SilosAsync() => [.. (await _cluster).Silos.Select(s => s.ServiceProvider)];

    public CountingStateStore Storage { get; } = new();

    public InMemoryAccountStore Accounts { get; } = new();

    public TestArchiveStore Archives { get; } = new();

    /// <summary>The silo's own grain factory, as the gateway in the same process uses it.</summary>
    public IGrainFactory Grains => _cluster.GetAwaiter().GetResult().Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    public async Task CreateAccountAsync(string username)
    {
        var credential = new ScramCredential([1], 1, [2], [3]);
        await Accounts.CreateAsync(new Account(username, credential, credential));
    }

    /// <summary>
    /// Creates the account if needed and binds a session for the resource. A <paramref name="listed"/>
    /// session is in the silo's session directory, as the gateway's sessions of this silo are, and
    /// grains push to it directly; an unlisted one is reached only through Orleans calls to a hub
    /// of the test's (<see cref="RecordingHub"/>), as a session on another silo is.
    /// </summary>
    public async Task<Client> ConnectAsync(string user, string resource, bool listed = true, int silo = 0)
    {
        if (await Accounts.FindAsync(user) is null)
        {
            await CreateAccountAsync(user);
        }

        var services = (await _cluster).Silos[silo].ServiceProvider;
        var grains = services.GetRequiredService<IGrainFactory>();
        var session = new RecordingSession();
        var grain = grains.GetGrain<IUserGrain>($"{user}@{Domain}");
        var reference = grains.CreateObjectReference<ISessionObserver>(session);
        var fullJid = $"{user}@{Domain}/{resource}";
        Routing.ISessionHub hub;
        if (listed)
        {
            hub = services.GetRequiredService<Routing.SessionHub>().Reference;
            services.GetRequiredService<Routing.SessionDirectory>().Register(fullJid, reference, session, hub);
        }
        else
        {
            _hub.Add(reference, session);
            hub = _hubReference ??= Grains.CreateObjectReference<Routing.ISessionHub>(_hub);
        }

        var jid = await grain.BindAsync(resource, reference, hub);
        return new Client(grain, jid, session, reference);
    }

    /// <summary>The hub of unlisted sessions (<see cref="ConnectAsync"/>), standing for another silo's.</summary>
    public RecordingHub OtherSiloHub => _hub;

    /// <summary>The cluster's external client: its calls reach the silo serialized, as calls between silos do.</summary>
    public async Task<IClusterClient> ExternalClientAsync() => (await _cluster).Client;

    /// <summary>
    /// As <see cref="ConnectAsync"/>, but the grain calls and the session's observer go through the
    /// external client: every argument, result and push crosses the wire serialized.
    /// </summary>
    public async Task<Client> ConnectThroughClientAsync(string user, string resource)
    {
        if (await Accounts.FindAsync(user) is null)
        {
            await CreateAccountAsync(user);
        }

        var client = await ExternalClientAsync();
        var session = new RecordingSession();
        var grain = client.GetGrain<IUserGrain>($"{user}@{Domain}");
        var reference = client.CreateObjectReference<ISessionObserver>(session);
        _clientHub.Add(reference, session);
        _clientHubReference ??= client.CreateObjectReference<Routing.ISessionHub>(_clientHub);
        var jid = await grain.BindAsync(resource, reference, _clientHubReference);
        return new Client(grain, jid, session, reference);
    }

    /// <summary>
    /// A new connection resumes <paramref name="resumed"/>'s session (XEP-0198) through the external
    /// client, as a gateway of another silo would: the account's answer and the new session.
    /// </summary>
    public async Task<(SessionHandOver HandOver, Client Client)> ResumeThroughClientAsync(Client resumed, string resumptionId, uint acknowledged)
    {
        var client = await ExternalClientAsync();
        var session = new RecordingSession();
        var reference = client.CreateObjectReference<ISessionObserver>(session);
        _clientHub.Add(reference, session);
        _clientHubReference ??= client.CreateObjectReference<Routing.ISessionHub>(_clientHub);
        var handOver = await resumed.Grain.ResumeAsync(resumed.Jid.Resource!, resumptionId, acknowledged, reference, _clientHubReference);
        return (handOver, resumed with { Session = session, Reference = reference });
    }

    /// <summary>Shuts the silo down (deactivating every grain) and starts afresh on the same storage.</summary>
    public async Task RestartAsync()
    {
        _hubReference = null;
        await (await _cluster).DisposeAsync();
        _cluster = StartAsync();
        await _cluster;
    }

    public async ValueTask DisposeAsync() => await (await _cluster).DisposeAsync();

    private async Task<InProcessTestCluster> StartAsync()
    {
        var builder = new InProcessTestClusterBuilder(_silos);
        builder.ConfigureSiloHost((silo, host) =>
        {
            var services = host.Services;
            services.AddSingleton<IOutgoingGrainCallFilter>(_calls.GetOrAdd(silo.SiloName, _ => new CallCounter()));
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            services.Configure<XmppOptions>(options =>
            {
                options.Domain = Domain;
                options.OfflineMessageLimit = 3;
                options.Admins.Add("admin@" + Domain);

                // Off unless a test turns it on (ArchiveTests): the others compare delivered stanzas
                // with what was sent, which an archive's stanza-id would change.
                options.Archive.Enabled = false;
                _xmpp?.Invoke(options);
            });
            if (_collection is not null)
            {
                services.Configure(_collection);
            }

            services.AddSingleton<IStateStore>(Storage);
            services.AddSingleton<IAccountStore>(Accounts);
            services.AddSingleton<IArchiveStore>(Archives);
            services.AddStateStoreGrainStorage();
            services.AddXmppGrains();
            _services?.Invoke(services);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public sealed record Client(IUserGrain Grain, Jid Jid, RecordingSession Session, ISessionObserver Reference)
    {
        public string Bare => Jid.Bare.ToString();

        /// <summary>Sends XML as this client would: 'from' stamped with the full JID.</summary>
        public Task SendAsync(string xml)
        {
            var stanza = XmlText.Parse(xml);
            stanza.From = Jid.ToString();
            return Grain.ProcessOutboundAsync(Jid.Resource!, Reference, [stanza]);
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

        public Task DisconnectAsync() => Grain.UnbindAsync(Jid.Resource!, Reference, []);

        /// <summary>The session ends with these stanzas queued for it and never written (as the gateway hands them back).</summary>
        public Task DisconnectAsync(params Element[] undelivered) => Grain.UnbindAsync(Jid.Resource!, Reference, undelivered);

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
