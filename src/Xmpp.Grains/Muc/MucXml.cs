namespace Xmpp.Grains.Muc;

/// <summary>Builders for the <c>muc#user</c> payloads (XEP-0045 §15.6).</summary>
internal static class MucXml
{
    /// <summary>Appends <c>&lt;status code='…'/&gt;</c> and returns the x element.</summary>
    public static Element AddStatus(this Element x, string code)
    {
        x.AddChild("status", Namespaces.MucUser).SetAttribute("code", code);
        return x;
    }

    /// <summary>The condition and text of an error stanza, as Prosody's stanza:get_error reads them.</summary>
    public static (string? Condition, string? Text) ReadError(Element stanza)
    {
        var error = stanza.Child("error", stanza.Namespace);
        if (error is null)
        {
            return (null, null);
        }

        var condition = error.Elements().FirstOrDefault(e => e.Namespace == Namespaces.Stanzas && e.Name != "text");
        return (condition?.Name, error.ChildText("text", Namespaces.Stanzas));
    }
}
