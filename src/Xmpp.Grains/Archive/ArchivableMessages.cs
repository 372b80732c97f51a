namespace Xmpp.Grains.Archive;

/// <summary>Which messages are kept: in a room's history and archive, and in an account's archive.</summary>
public static class ArchivableMessages
{
    /// <summary>
    /// Prosody's rule (muc-message-is-historic, mod_mam's should_store): storage hints (XEP-0334)
    /// decide, else messages with a body, encrypted ones (XEP-0380) and chat markers (XEP-0333)
    /// are kept; chat states and other signalling alone are not.
    /// </summary>
    public static bool IsWorthKeeping(Element message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Child("no-store", Namespaces.Hints) is not null || message.Child("no-permanent-store", Namespaces.Hints) is not null)
        {
            return false;
        }

        return message.Child("store", Namespaces.Hints) is not null
            || message.Child("body", Namespaces.Client) is not null
            || message.Child("encryption", Namespaces.Eme) is not null
            || message.Elements().Any(e => e.Namespace == Namespaces.ChatMarkers);
    }

    /// <summary>
    /// What an account's archive keeps (XEP-0313 §5.1.1): chat and normal messages worth keeping.
    /// Groupchat messages are their room's to archive, headlines are ephemeral, errors are not history.
    /// </summary>
    public static bool IsForAccountArchive(Element message) =>
        message.Type is null or "normal" or "chat" && IsWorthKeeping(message);
}
