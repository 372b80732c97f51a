using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Xmpp.Grains.Muc;
using Xmpp.Grains.Serialization;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>
/// The Orleans codecs and copiers of the values grains exchange, through Orleans' own serializer,
/// and the promise behind <see cref="Orleans.ImmutableAttribute"/>: stanzas cross local calls uncopied.
/// </summary>
public sealed class SerializationTests : IAsyncDisposable
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ElementCodec).Assembly))
        .BuildServiceProvider();

    private readonly GrainTestCluster _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer<T>>();
        return serializer.Deserialize(serializer.SerializeToArray(value))!;
    }

    [Theory]
    [InlineData("<message to='juliet@localhost' type='chat' id='1'><body>hi</body></message>")]
    [InlineData("<presence xml:lang='fr'><status>absent &amp; &lt;occupé&gt; 😀</status><x xmlns='vcard-temp:x:update'><photo/></x></presence>")]
    [InlineData("<iq type='set' id='a'><query xmlns='jabber:iq:roster'><item jid='a@b' name='&quot;A&apos;'><group>x</group><group>y</group></item></query></iq>")]
    [InlineData("<message><body>  spaces\n and lines  </body><x xmlns='urn:a'><y xmlns='urn:b' b:c='d' xmlns:b='urn:c'/>text<z/>tail</x></message>")]
    public void An_element_round_trips_exactly(string xml)
    {
        var element = XmlText.Parse(xml);
        var copy = RoundTrip(element);
        Assert.NotSame(element, copy);
        Assert.Equal(element.ToString(), copy.ToString());
        Assert.Equal(element.Namespace, copy.Namespace);
    }

    [Fact]
    public void An_element_outside_jabber_client_keeps_its_namespace()
    {
        var element = new Element("query", Namespaces.DiscoInfo).SetAttribute("node", "n");
        var copy = RoundTrip(element);
        Assert.Equal((Namespaces.DiscoInfo, "n"), (copy.Namespace, copy.GetAttribute("node")));
    }

    [Fact]
    public void The_same_element_twice_in_one_value_stays_one_instance()
    {
        var stanza = XmlText.Parse("<message><body>x</body></message>");
        var list = RoundTrip<IReadOnlyList<Element>>([stanza, stanza]);
        Assert.Same(list[0], list[1]);
    }

    [Fact]
    public void Jids_stream_errors_and_room_listings_round_trip()
    {
        Assert.Equal(Jid.Parse("Zoë@Example.ORG/Café ☕"), RoundTrip(Jid.Parse("Zoë@Example.ORG/Café ☕")));
        Assert.Equal(new StreamError(StreamError.Conflict, "Replaced by new connection"), RoundTrip(new StreamError(StreamError.Conflict, "Replaced by new connection")));
        Assert.Equal(new StreamError(StreamError.SystemShutdown), RoundTrip(new StreamError(StreamError.SystemShutdown)));
        var listing = RoundTrip(new RoomListing { Jid = "a@conference.localhost", Name = "A", Public = true, Persistent = true, Exists = true });
        Assert.Equal(("a@conference.localhost", "A", true, true, true), (listing.Jid, listing.Name, listing.Public, listing.Persistent, listing.Exists));
    }

    [Fact]
    public void The_copier_clones_an_element_and_shares_immutable_values()
    {
        var copier = Services.GetRequiredService<DeepCopier>();
        var element = XmlText.Parse("<message><body>x</body></message>");
        var copy = copier.Copy(element);
        Assert.NotSame(element, copy);
        copy.To = "changed@localhost";
        Assert.Null(element.To);

        var jid = Jid.Parse("a@b/c");
        Assert.Same(jid, copier.Copy(jid));
        var error = new StreamError(StreamError.Conflict);
        Assert.Same(error, copier.Copy(error));
    }

    [Fact]
    public async Task A_stanza_crosses_a_local_grain_call_and_an_observer_push_uncopied()
    {
        // Unlisted: the grain reaches the session only through its Orleans observer reference.
        var juliet = await _cluster.ConnectAsync("juliet", "balcony", listed: false);
        var message = XmlText.Parse("<message from='romeo@localhost/orchard' to='juliet@localhost/balcony' type='chat'><body>hi</body></message>");

        await juliet.Grain.DeliverAsync([message]);

        Assert.Same(message, await juliet.NextAsync());
    }

    [Fact]
    public async Task Through_the_wire_the_same_stanza_arrives_as_an_equal_copy()
    {
        var juliet = await _cluster.ConnectThroughClientAsync("juliet", "balcony");
        var message = XmlText.Parse("<message from='romeo@localhost/orchard' to='juliet@localhost/balcony' type='chat'><body>hi</body></message>");

        await juliet.Grain.DeliverAsync([message]);

        var received = await juliet.NextAsync();
        Assert.NotSame(message, received);
        Assert.Equal(message.ToString(), received.ToString());
    }
}
