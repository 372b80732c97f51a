namespace Xmpp.Grains.Muc;

/// <summary>
/// An occupant of a room (XEP-0045 §5): one nickname, one bare real JID, a role, and the
/// presence of each of the user's sessions joined under that nickname. Modelled on Prosody's
/// occupant.lib.lua, including its copy semantics: handlers change a copy, the room stores a copy.
/// Lives only in memory; occupants are never persisted.
/// </summary>
internal sealed class Occupant
{
    public Occupant(string bareJid, string occupantJid)
    {
        BareJid = bareJid;
        Jid = occupantJid;
    }

    /// <summary>The user's bare real JID.</summary>
    public string BareJid { get; }

    /// <summary>The occupant JID, <c>room@service/nick</c>.</summary>
    public string Jid { get; set; }

    /// <summary>The nickname: the resource of <see cref="Jid"/>.</summary>
    public string Nick => Jid[(Jid.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary><see cref="Role.None"/> means the occupant has left (or is leaving) the room.</summary>
    public Role Role { get; set; }

    /// <summary>The primary session's full JID, whose presence stands for the occupant.</summary>
    public string? PrimaryJid { get; private set; }

    /// <summary>Per full real JID, that session's presence as the room shows it (from = occupant JID).</summary>
    public OrderedDictionary<string, Element> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>XEP-0421 occupant-id element, computed once per occupant and shared by its stanzas.</summary>
    public Element? OccupantId { get; set; }

    /// <summary>
    /// A copy that keeps the available sessions and the primary one (unavailable presences of other
    /// sessions would otherwise accumulate), as occupant_lib.copy does.
    /// </summary>
    public Occupant Copy()
    {
        var copy = new Occupant(BareJid, Jid) { Role = Role, PrimaryJid = PrimaryJid, OccupantId = OccupantId };
        foreach (var (jid, presence) in Sessions)
        {
            if (presence.Type != "unavailable" || jid == PrimaryJid)
            {
                copy.Sessions.Add(jid, presence);
            }
        }

        return copy;
    }

    public Element? GetPresence(string? realJid = null)
    {
        var key = realJid ?? PrimaryJid;
        return key is not null && Sessions.TryGetValue(key, out var presence) ? presence : null;
    }

    /// <summary>
    /// Records a session's presence, with MUC payloads removed and addressed from the occupant JID.
    /// The primary session moves only when there was none or it became unavailable.
    /// </summary>
    public void SetSession(string realJid, Element presence, bool replacePrimary = false)
    {
        var stored = presence.CloneWithoutNodes();
        foreach (var node in presence.Nodes)
        {
            if (node is Element child && IsFilteredPayload(child))
            {
                continue;
            }

            stored.Add(node);
        }

        stored.From = Jid;
        stored.To = realJid;
        if (OccupantId is not null)
        {
            stored.Add(OccupantId);
        }

        Sessions[realJid] = stored;
        if (replacePrimary)
        {
            PrimaryJid = realJid;
        }
        else if (PrimaryJid is null || (stored.Type == "unavailable" && PrimaryJid == realJid))
        {
            PrimaryJid = ChooseNewPrimary() ?? realJid;
        }
    }

    public void RemoveSession(string realJid)
    {
        Sessions.Remove(realJid);
        if (PrimaryJid == realJid)
        {
            PrimaryJid = ChooseNewPrimary();
        }
    }

    public bool HasSession(string realJid) => Sessions.ContainsKey(realJid);

    private string? ChooseNewPrimary()
    {
        foreach (var (jid, presence) in Sessions)
        {
            if (presence.Type is null)
            {
                return jid;
            }
        }

        return null;
    }

    /// <summary>
    /// What an occupant may not claim in its own presence: the MUC payloads (the room writes them)
    /// and an occupant-id (XEP-0421 §4: the room strips forged ones).
    /// </summary>
    public static bool IsFilteredPayload(Element child) =>
        child.Namespace is Namespaces.Muc or Namespaces.MucUser or Namespaces.OccupantId;
}
