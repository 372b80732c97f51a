using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Xmpp.Grains.Muc;
using Xmpp.Grains.Routing;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>
/// The MUC service's admin commands answer only after what they caused: the result of destroying a
/// room reaches the administrator after the room's unavailable presence, even when the room lives on
/// another silo than the administrator's session and the MUC service (which answers that session
/// directly) and the presence is slow on its way.
/// </summary>
public sealed class MucCommandOrderTests : IAsyncDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    // Rooms placed at random: the default placement may put every room on the MUC service's silo.
    private readonly GrainTestCluster _cluster = new(silos: 2, services: services => services
        .AddSingleton<IOutgoingGrainCallFilter, DelayingRoomPresence>()
        .AddSingleton<PlacementStrategy, RandomPlacement>());

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Destroying_a_room_answers_the_admin_after_the_rooms_unavailable_presence_reached_it()
    {
        var (admin, room, _) = await AdminInRoomOnTheOtherSiloAsync();

        await DestroyAsync(admin, room);

        var first = await admin.NextAsync();
        Assert.True(first.Name == Stanza.Presence && first.Type == "unavailable" && first.From == room + "/Admin", $"expected the room's unavailable presence first, got {first}");
        Assert.NotNull(first.Child("x", Namespaces.MucUser)?.Child("destroy", Namespaces.MucUser));
        var result = await admin.NextAsync();
        Assert.Equal(("destroy", "result"), (result.Id, result.Type));
    }

    [Fact]
    public async Task A_destroyed_rooms_goodbye_goes_to_the_occupants_session_as_everything_before_it_not_around_through_its_account()
    {
        var (admin, room, roomSilo) = await AdminInRoomOnTheOtherSiloAsync();
        _cluster.Calls[roomSilo].Reset();

        await DestroyAsync(admin, room);

        Assert.Equal(Stanza.Presence, (await admin.NextAsync()).Name);
        Assert.Equal(Stanza.Iq, (await admin.NextAsync()).Name);
        var calls = _cluster.Calls[roomSilo];
        Assert.Equal(0, calls["IUserGrain.DeliverAsync"] + calls["IUserGrain.DeliverAndLocateAsync"] + calls["IUserRelay.RelayAsync"]);
        Assert.Equal(1, calls["ISessionHub.PushAsync"]);
    }

    /// <summary>
    /// The MUC service on one silo, the administrator's session (and so its grain) there too, and
    /// a room on the other silo that the administrator created and is in.
    /// </summary>
    private async Task<(GrainTestCluster.Client Admin, string Room, int RoomSilo)> AdminInRoomOnTheOtherSiloAsync()
    {
        var silos = await _cluster.SilosAsync();
        var grains = silos.Select(s => s.GetRequiredService<IGrainFactory>()).ToList();
        await grains[0].GetGrain<IMucServiceGrain>(GrainTestCluster.MucService).ListRoomsAsync();
        var service = await SiloOfAsync(silos, "muc/" + GrainTestCluster.MucService);
        var other = 1 - service;
        string? room = null;
        for (var i = 0; i < 32 && room is null; i++)
        {
            var candidate = $"ruin{i}@{GrainTestCluster.MucService}";
            await grains[other].GetGrain<IRoomGrain>(candidate).GetListingAsync();
            if (await SiloOfAsync(silos, "room/" + candidate) == other)
            {
                room = candidate;
            }
        }

        Assert.True(room is not null, "no room was placed on the other silo");
        var admin = await _cluster.ConnectAsync("admin", "desk", silo: service);
        await admin.CreateInstantRoomAsync(room[..room.IndexOf('@', StringComparison.Ordinal)], "Admin");
        return (admin, room, other);
    }

    /// <summary>The service's muc#destroy command, in one step (the form submitted at once).</summary>
    private static Task DestroyAsync(GrainTestCluster.Client admin, string room) =>
        admin.SendAsync($"""
            <iq type='set' id='destroy' to='{GrainTestCluster.MucService}'>
              <command xmlns='http://jabber.org/protocol/commands' node='http://prosody.im/protocol/muc#destroy'>
                <x xmlns='jabber:x:data' type='submit'><field var='rooms'><value>{room}</value></field></x>
              </command>
            </iq>
            """);

    /// <summary>The index of the silo where the grain is active.</summary>
    private static async Task<int> SiloOfAsync(IReadOnlyList<IServiceProvider> silos, string grainId)
    {
        var activations = await silos[0].GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var at = Assert.Single(activations, a => a.GrainId.ToString() == grainId).SiloAddress;
        return silos.Select(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress).ToList().IndexOf(at);
    }

    /// <summary>
    /// Holds back every call that carries a room's unavailable presence, whichever way it travels:
    /// to an account's grain, to a silo's relay of account grains, to a silo's session hub.
    /// </summary>
    private sealed class DelayingRoomPresence : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.Request.GetArgumentCount() > 0 && StanzasOf(context.Request.GetArgument(0)).Any(IsRoomsUnavailablePresence))
            {
                await Task.Delay(Delay);
            }

            await context.Invoke();
        }

        private static bool IsRoomsUnavailablePresence(Element stanza) =>
            stanza.Name == Stanza.Presence && stanza.Type == "unavailable"
            && stanza.From?.Contains("@" + GrainTestCluster.MucService + "/", StringComparison.Ordinal) == true;

        private static IEnumerable<Element> StanzasOf(object? argument) => argument switch
        {
            IReadOnlyList<Element> stanzas => stanzas,
            IReadOnlyList<SessionPush> pushes => pushes.SelectMany(p => p.Stanzas ?? []),
            IReadOnlyList<RelayedStanzas> entries => entries.SelectMany(e => e.Stanzas),
            _ => [],
        };
    }
}
