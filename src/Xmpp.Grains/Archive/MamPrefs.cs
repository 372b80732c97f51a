namespace Xmpp.Grains.Archive;

/// <summary>
/// An account's archiving preferences (XEP-0313 §6): a default and JIDs always or never archived.
/// JIDs are stored normalised (RFC 7622: nodeprep, case-folded domain), so a rule written as
/// <c>Juliet@Capulet.LIT</c> matches messages from <c>juliet@capulet.lit</c>.
/// </summary>
public sealed class MamPrefs
{
    public const string Always = "always";
    public const string Never = "never";
    public const string Roster = "roster";

    public string Default { get; set; } = Always;

    /// <summary>JIDs whose messages are archived whatever the default.</summary>
    public List<string> AlwaysJids { get; set; } = [];

    /// <summary>JIDs whose messages are never archived.</summary>
    public List<string> NeverJids { get; set; } = [];

    /// <summary>
    /// Whether a message with <paramref name="with"/> is archived. A rule for the full JID decides
    /// before one for its bare JID; at the same level 'never' wins (the safer reading of a JID the
    /// user put in both lists); without a rule the default decides ('roster': the party is in the roster).
    /// </summary>
    public bool ShouldArchive(Jid with, bool inRoster) => RuleFor(with) ?? Decides(Default, inRoster);

    /// <summary>What the always/never lists say about <paramref name="with"/>; null when they say nothing and the default decides.</summary>
    public bool? RuleFor(Jid with)
    {
        ArgumentNullException.ThrowIfNull(with);
        if (AlwaysJids.Count == 0 && NeverJids.Count == 0)
        {
            return null;
        }

        foreach (var candidate in with.IsFull ? [with.ToString(), with.Bare.ToString()] : (string[])[with.ToString()])
        {
            if (NeverJids.Contains(candidate, StringComparer.Ordinal))
            {
                return false;
            }

            if (AlwaysJids.Contains(candidate, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return null;
    }

    /// <summary>What a default policy decides for a party that is (or is not) in the roster.</summary>
    public static bool Decides(string policy, bool inRoster) => policy switch
    {
        Always => true,
        Roster => inRoster,
        _ => false,
    };

    /// <summary>Reads a <c>&lt;prefs/&gt;</c> set request; bad-request for an unknown default or a JID that is not one.</summary>
    public static MamPrefs Parse(Element prefs)
    {
        ArgumentNullException.ThrowIfNull(prefs);
        var @default = prefs.GetAttribute("default");
        if (@default is not (Always or Never or Roster))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("The default must be 'always', 'never' or 'roster'"));
        }

        return new MamPrefs
        {
            Default = @default,
            AlwaysJids = ReadJids(prefs.Child("always", Namespaces.Mam)),
            NeverJids = ReadJids(prefs.Child("never", Namespaces.Mam)),
        };
    }

    public Element ToElement()
    {
        var prefs = new Element("prefs", Namespaces.Mam).SetAttribute("default", Default);
        var always = prefs.AddChild("always", Namespaces.Mam);
        foreach (var jid in AlwaysJids)
        {
            always.AddTextChild("jid", Namespaces.Mam, jid);
        }

        var never = prefs.AddChild("never", Namespaces.Mam);
        foreach (var jid in NeverJids)
        {
            never.AddTextChild("jid", Namespaces.Mam, jid);
        }

        return prefs;
    }

    private static List<string> ReadJids(Element? list)
    {
        var jids = new List<string>();
        foreach (var item in list?.Elements("jid", Namespaces.Mam) ?? [])
        {
            if (!Jid.TryParse(item.Text.Trim(), out var jid))
            {
                throw new StanzaErrorException(StanzaError.BadRequest($"'{item.Text}' is not a JID"));
            }

            var normalised = jid.ToString();
            if (!jids.Contains(normalised, StringComparer.Ordinal))
            {
                jids.Add(normalised);
            }
        }

        return jids;
    }
}
