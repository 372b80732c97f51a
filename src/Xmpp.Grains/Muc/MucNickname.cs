using System.Diagnostics.CodeAnalysis;
using Xmpp.Protocol.Stringprep;

namespace Xmpp.Grains.Muc;

/// <summary>
/// Nicknames as Prosody 0.12 has them: its router prepares every address with stringprep's
/// resourceprep (RFC 3920), not with RFC 7622's OpaqueString as <see cref="Jid"/> does, and its
/// rooms refuse a nickname that strict resourceprep rejects (muc.lib.lua, register.lib.lua), such
/// as one with a code point unassigned in Unicode 3.2 (emoji, scripts added since).
/// </summary>
internal static class MucNickname
{
    /// <summary>
    /// The occupant JID as Prosody's router passes it on: the nickname through resourceprep with
    /// unassigned code points allowed (so "🤖" with its emoji presentation selector U+FE0F becomes
    /// "🤖"). Unchanged when resourceprep refuses it, for the strict check to answer.
    /// </summary>
    public static Jid Prepare(Jid occupantJid) =>
        occupantJid.Resource is { } nick
        && Resourceprep.TryPrepare(nick, allowUnassigned: true, out var prepared)
        && prepared != nick
        && Jid.TryCreate(occupantJid.Local, occupantJid.Domain, prepared, out var jid, out _)
            ? jid
            : occupantJid;

    /// <summary>
    /// Prosody's strict validation: resourceprep without code points unassigned in Unicode 3.2.
    /// <paramref name="prepared"/> is the nickname to use, which is also an address's resource as
    /// RFC 7622 prepares it, since it becomes an occupant JID.
    /// </summary>
    public static bool TryPrepareStrict(string nick, [NotNullWhen(true)] out string? prepared) =>
        Resourceprep.TryPrepare(nick, allowUnassigned: false, out prepared)
        && Jid.TryPrepareResourcepart(prepared, out var resource, out _)
        && resource == prepared;
}
