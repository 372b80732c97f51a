using System.Globalization;

namespace Xmpp.Grains.Users;

// vcard-temp (XEP-0054): anyone reads, the owner writes. Last activity (XEP-0012) of the account.
public sealed partial class UserGrain
{
    private async Task<Element?> HandleVCardSetAsync(Element iq, Element vcard)
    {
        _profile.State.VCard = XmlText.Serialize(vcard);
        await _profile.SaveAsync();
        return Stanza.Result(iq);
    }

    /// <summary>Prosody's mod_lastactivity: time since, and status of, the last unavailable presence.</summary>
    private Element LastActivity(Element iq)
    {
        var seconds = _profile.State.LastLogout is { } last ? (long)Math.Max(0, (Now - last).TotalSeconds) : 0;
        var query = new Element("query", Namespaces.Last)
            .SetAttribute("seconds", seconds.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(_profile.State.LastStatus))
        {
            query.AddText(_profile.State.LastStatus);
        }

        return Stanza.Result(iq, query);
    }

    private async Task RecordLogoutAsync(string? status)
    {
        _profile.State.LastLogout = Now;
        _profile.State.LastStatus = status;
        try
        {
            await _profile.SaveAsync();
        }
        catch (StanzaErrorException)
        {
            // Last activity stays as stored; the presence it came with went out all the same, and
            // an error in answer to one's own unavailable presence would help no client.
        }
    }
}
