namespace Xmpp.Grains.PubSub;

/// <summary>The access models of XEP-0060 §4.5.</summary>
public static class AccessModel
{
    public const string Open = "open";
    public const string Presence = "presence";
    public const string Roster = "roster";
    public const string Whitelist = "whitelist";
    public const string Authorize = "authorize";

    /// <summary>What the configuration form lists (as Prosody's: every model of the XEP).</summary>
    public static readonly string[] Listed = [Authorize, Open, Presence, Roster, Whitelist];

    /// <summary>
    /// What a node takes: the pubsub service has no roster, so open and whitelist (as Prosody); PEP
    /// also presence and roster (XEP-0163 §5). Subscription approval (authorize) is not offered.
    /// </summary>
    public static bool IsSupported(string model, bool pep) =>
        model is Open or Whitelist || (pep && model is Presence or Roster);
}

/// <summary>The affiliations of XEP-0060 §4.1, with what each may do.</summary>
public static class NodeAffiliation
{
    public const string Owner = "owner";
    public const string Publisher = "publisher";
    public const string PublishOnly = "publish-only";
    public const string Member = "member";
    public const string None = "none";
    public const string Outcast = "outcast";

    public static readonly string[] All = [Owner, Publisher, PublishOnly, Member, None, Outcast];

    public static bool MayPublish(string affiliation) => affiliation is Owner or Publisher or PublishOnly;
}
