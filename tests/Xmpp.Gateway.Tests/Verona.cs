using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Sessions;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// The stream management tests' stage: a test server with the accounts juliet and romeo (password
/// <see cref="Password"/>; kept if its store has them already), Romeo logged in at "orchard" writing to Juliet's phone, Juliet left to
/// the test: her phone's connection is the one that drops and comes back.
/// </summary>
internal sealed class Verona : IAsyncDisposable
{
    public const string Password = "pencil";

    private Verona(TestServer server, XmppTestClient romeo)
    {
        Server = server;
        Romeo = romeo;
    }

    public TestServer Server { get; }

    public XmppTestClient Romeo { get; }

    public SessionTracker Tracker => Server.Services.GetRequiredService<SessionTracker>();

    public static async Task<Verona> StartAsync(params string[] settings)
    {
        var server = await TestServer.StartAsync(settings);
        try
        {
            var accounts = server.Services.GetRequiredService<IAccountStore>();
            foreach (var name in new[] { "juliet", "romeo" })
            {
                if (await accounts.FindAsync(name) is null) // a store kept from an earlier server has them
                {
                    await server.AddUserAsync(name, Password);
                }
            }

            return new Verona(server, await server.LoginAsync("romeo", Password, "orchard"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Juliet's phone logs in (as Romeo's mutual contact when <paramref name="contacts"/>) and enables resumable stream management.</summary>
    public async Task<StreamManagementClient> JulietResumableAsync(bool contacts = false, int? receiveBufferSize = null)
    {
        var phone = await XmppTestClient.LoginAsync(Server.Endpoint, "juliet", Password, "phone", receiveBufferSize: receiveBufferSize);
        if (contacts)
        {
            await Romeo.BecomeMutualContactsAsync(phone);
        }

        return await StreamManagementClient.EnableAsync(phone, resume: true);
    }

    /// <summary>Romeo writes m<paramref name="first"/> … m<paramref name="last"/> to Juliet's phone.</summary>
    public async Task SendToJulietAsync(int first, int last)
    {
        for (var i = first; i <= last; i++)
        {
            await Romeo.SendAsync($"<message to='juliet@localhost/phone' type='chat' id='m{i}'><body>message {i}</body></message>");
        }
    }

    public Task HibernatingAsync(int count) =>
        Eventually.WaitUntilAsync(() => Tracker.HibernatingCount == count, state: () => $"{Tracker.HibernatingCount} sessions hibernate");

    /// <summary>Juliet's phone resumes its session on a new connection, having handled <paramref name="handled"/> stanzas.</summary>
    public Task<(Element Answer, StreamManagementClient? Resumed, XmppTestClient Connection)> JulietResumesAsync(string previd, uint handled) =>
        StreamManagementClient.ResumeAsync(Server.Endpoint, "juliet", Password, previd, handled);

    /// <summary>Romeo learns that Juliet's phone went away.</summary>
    public Task PhoneUnavailableAsync(TimeSpan? timeout = null) =>
        Romeo.ReadUntilAsync(e => e.Name == Stanza.Presence && e.From == "juliet@localhost/phone" && e.Type == "unavailable", timeout);

    /// <summary>Juliet logs in on her laptop and reads the first <paramref name="count"/> messages that waited for her (each stamped as delayed).</summary>
    public async Task<List<string?>> OfflineForJulietAsync(int count)
    {
        await using var laptop = await Server.LoginAsync("juliet", Password, "laptop");
        await laptop.SendAsync("<presence/>");
        var ids = new List<string?>();
        while (ids.Count < count)
        {
            var next = await laptop.ReadElementAsync();
            if (next.Name == Stanza.Message)
            {
                Assert.NotNull(next.Child("delay", Namespaces.Delay));
                ids.Add(next.Id);
            }
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await Romeo.DisposeAsync();
        await Server.DisposeAsync();
    }
}
