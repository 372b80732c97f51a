using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;

namespace Xmpp.Gateway.Tests;

/// <summary>Push notifications (XEP-0357) to an app server played by a normal account's client.</summary>
public sealed class PushTests
{
    [Fact]
    public async Task An_offline_message_is_pushed_and_an_app_server_that_answers_an_error_is_dropped()
    {
        await using var server = await StartWithAccountsAsync();

        await using var app = await server.LoginAsync("push", "pencil", "appserver");
        await using (var romeo = await server.LoginAsync("romeo", "pencil", "phone"))
        {
            await EnablePushAsync(romeo, "device-1");
            Assert.Contains("device-1", await StoredProfileAsync(server));
        }

        await using var juliet = await server.LoginAsync("juliet", "pencil");
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='m1'><body>first</body></message>");
        var push = await NextPushAsync(app);
        Assert.Equal("romeo@localhost", push.From);
        var publish = Publish(push);
        Assert.Equal("device-1", publish.GetAttribute("node"));
        Assert.NotNull(publish.Child("item", Namespaces.PubSub)!.Child("notification", Namespaces.Push));
        Assert.DoesNotContain("first", XmlText.Serialize(push), StringComparison.Ordinal); // the body stays on the server

        // The app server no longer knows the device: the registration goes.
        await app.SendAsync($"<iq type='error' to='romeo@localhost' id='{push.Id}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        await Eventually.WaitUntilAsync(async () => !(await StoredProfileAsync(server)).Contains("device-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_device_whose_client_is_gone_or_inactive_is_pushed_while_another_client_is_online()
    {
        await using var server = await StartWithAccountsAsync();

        await using var app = await server.LoginAsync("push", "pencil", "appserver");
        await using var desktop = await server.LoginAsync("romeo", "pencil", "desktop");
        await desktop.SendAsync("<presence/>");
        var phone = await server.LoginAsync("romeo", "pencil", "phone");
        await phone.SendAsync("<presence/>");
        await EnablePushAsync(phone, "phone");
        await using var juliet = await server.LoginAsync("juliet", "pencil");

        // The phone's client is connected and active: the message reaches it, nobody is pushed.
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='m1'><body>one</body></message>");
        await phone.ReadUntilAsync(e => e.Id == "m1");

        // Inactive (CSI): its app server is told as well.
        await phone.SendAsync("<inactive xmlns='urn:xmpp:csi:0'/>");
        await phone.SendAsync("<iq type='get' id='after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        await phone.ReadUntilAsync(e => e.Id == "after"); // read after the account learnt of the state
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='m2'><body>two</body></message>");
        var push = await NextPushAsync(app);
        Assert.Equal("phone", Publish(push).GetAttribute("node"));
        await app.SendAsync($"<iq type='result' to='romeo@localhost' id='{push.Id}'/>");

        // Gone, while the desktop stays online and gets the message: the phone is pushed.
        var tracker = server.Services.GetRequiredService<Xmpp.Gateway.Sessions.SessionTracker>();
        await phone.DisposeAsync();
        await Eventually.WaitUntilAsync(() => tracker.Sessions.All(s => s.Jid?.ToString() != "romeo@localhost/phone"));
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='m3'><body>three</body></message>");
        await desktop.ReadUntilAsync(e => e.Id == "m3");
        push = await NextPushAsync(app);
        Assert.Equal("phone", Publish(push).GetAttribute("node"));
    }

    [Fact]
    public async Task A_hibernating_session_is_pushed_for_what_waits_for_it()
    {
        await using var server = await StartWithAccountsAsync();

        await using var app = await server.LoginAsync("push", "pencil", "appserver");
        var phone = await server.LoginAsync("romeo", "pencil", "phone");
        await phone.SendAsync("<presence/>");
        await EnablePushAsync(phone, "phone");
        await StreamManagementClient.EnableAsync(phone, resume: true);

        // The connection drops without a close: the session hibernates, bound and online.
        var session = server.Services.GetRequiredService<Xmpp.Gateway.Sessions.SessionTracker>().Sessions.Single(s => s.Jid?.ToString() == "romeo@localhost/phone");
        phone.Abort();
        await Eventually.WaitUntilAsync(() => session.IsHibernating);

        await using var juliet = await server.LoginAsync("juliet", "pencil");
        await juliet.SendAsync("<message to='romeo@localhost' type='chat' id='m1'><body>Wake up</body></message>");
        var push = await NextPushAsync(app);
        Assert.Equal("phone", Publish(push).GetAttribute("node"));
    }

    /// <summary>A server with romeo, juliet and push (whose client at push@localhost/appserver plays the app server).</summary>
    private static async Task<TestServer> StartWithAccountsAsync()
    {
        var server = await TestServer.StartAsync();
        foreach (var name in new[] { "romeo", "juliet", "push" })
        {
            await server.AddUserAsync(name, "pencil");
        }

        return server;
    }

    /// <summary>XEP-0357 §5: the client registers its device <paramref name="node"/> with the app server.</summary>
    private static async Task EnablePushAsync(XmppTestClient client, string node)
    {
        await client.SendAsync($"<iq type='set' id='on'><enable xmlns='urn:xmpp:push:0' jid='push@localhost/appserver' node='{node}'/></iq>");
        Assert.Equal("result", (await client.ReadUntilAsync(e => e.Id == "on")).Type);
    }

    /// <summary>The next notification the app server gets (XEP-0357 §7: a pubsub publish in an iq set).</summary>
    private static Task<Element> NextPushAsync(XmppTestClient app) => app.ReadUntilAsync(e => e.Name == Stanza.Iq && e.Type == "set");

    private static Element Publish(Element push) => push.Child("pubsub", Namespaces.PubSub)!.Child("publish", Namespaces.PubSub)!;

    private static async Task<string> StoredProfileAsync(TestServer server)
    {
        var stored = await server.Services.GetRequiredService<IStateStore>().ReadAsync(new GrainStateId("user", "romeo@localhost", "profile"));
        return stored is null ? string.Empty : Encoding.UTF8.GetString(stored.Data.Span);
    }
}
