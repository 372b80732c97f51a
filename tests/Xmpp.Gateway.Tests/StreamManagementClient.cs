using System.Globalization;
using System.Net;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// XEP-0198 from a client's side, over an <see cref="XmppTestClient"/>: enables stream management
/// or resumes a session, counts the stanzas it receives from then on (its <c>h</c>), and answers the
/// server's <c>&lt;r/&gt;</c> (or leaves it to the test). Written from the XEP, apart from the
/// server's code. Reusable by other test projects.
/// </summary>
public sealed class StreamManagementClient
{
    public const string Namespace = "urn:xmpp:sm:3";

    private StreamManagementClient(XmppTestClient client, string? resumptionId, uint handled)
    {
        Client = client;
        ResumptionId = resumptionId;
        Handled = handled;
    }

    public XmppTestClient Client { get; }

    /// <summary>The SM-ID of <c>&lt;enabled/&gt;</c>, for a later resumption.</summary>
    public string? ResumptionId { get; }

    /// <summary>Stanzas received since stream management was enabled (or the session resumed with this count).</summary>
    public uint Handled { get; private set; }

    /// <summary>How many <c>&lt;r/&gt;</c> the server sent.</summary>
    public int AckRequests { get; private set; }

    /// <summary>Whether <see cref="NextAsync"/> answers the server's <c>&lt;r/&gt;</c> itself (else it returns it).</summary>
    public bool AnswersRequests { get; set; } = true;

    /// <summary>Sends <c>&lt;enable/&gt;</c> on a bound stream and reads the answer: the client, or what failed.</summary>
    public static async Task<StreamManagementClient> EnableAsync(XmppTestClient client, bool resume = false)
    {
        await client.SendAsync(resume ? $"<enable xmlns='{Namespace}' resume='true'/>" : $"<enable xmlns='{Namespace}'/>");
        var enabled = await client.ReadUntilAsync(e => e.Namespace == Namespace);
        Assert.True(enabled.Name == "enabled", $"Expected <enabled/>, got {enabled}");
        return new StreamManagementClient(client, enabled.GetAttribute("id"), 0);
    }

    /// <summary>
    /// Connects, authenticates and sends <c>&lt;resume/&gt;</c> instead of binding; the answer is
    /// <c>&lt;resumed/&gt;</c> (then <see cref="Resumed"/> is the client, counting on from
    /// <paramref name="handled"/>) or <c>&lt;failed/&gt;</c>.
    /// </summary>
    public static async Task<(Element Answer, StreamManagementClient? Resumed, XmppTestClient Connection)> ResumeAsync(
        IPEndPoint endpoint, string user, string password, string previd, uint handled, string ns = Namespace)
    {
        var client = await XmppTestClient.ConnectAsync(endpoint);
        await client.OpenStreamAsync();
        Assert.Null(await client.AuthenticateAsync("SCRAM-SHA-256", user, password));
        await client.SendAsync(new Element("resume", ns).SetAttribute("previd", previd).SetAttribute("h", handled.ToString(CultureInfo.InvariantCulture)));
        var answer = await client.ReadElementAsync();
        return (answer, answer.Name == "resumed" ? new StreamManagementClient(client, previd, handled) : null, client);
    }

    /// <summary>The next element, counting stanzas; a request is answered with our count unless <see cref="AnswersRequests"/> is off.</summary>
    public async Task<Element> NextAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var element = await Client.ReadElementAsync(timeout);
            if (Stanza.IsStanza(element))
            {
                Handled = unchecked(Handled + 1);
            }
            else if (element.Is("r", Namespace))
            {
                AckRequests++;
                if (AnswersRequests)
                {
                    await AckAsync();
                    continue;
                }
            }

            return element;
        }
    }

    /// <summary>The next element that matches, skipping (and counting) the others.</summary>
    public async Task<Element> NextAsync(Func<Element, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? XmppTestClient.DefaultTimeout);
        while (true)
        {
            var element = await NextAsync(deadline - DateTime.UtcNow);
            if (match(element))
            {
                return element;
            }
        }
    }

    /// <summary>Acknowledges <paramref name="h"/> stanzas, by default all received so far.</summary>
    public Task AckAsync(uint? h = null) =>
        Client.SendAsync($"<a xmlns='{Namespace}' h='{(h ?? Handled).ToString(CultureInfo.InvariantCulture)}'/>");
}
