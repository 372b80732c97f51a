using Xmpp.Protocol.Xml;

namespace Xmpp.Scansion.Scripts;

/// <summary>
/// One action of a script. <see cref="Stanzas"/> holds the XML block of <c>sends</c> and
/// <c>receives</c> as parsed templates: variables (<c>${Romeo's full JID}</c>) are still in them
/// and are substituted when the action runs, once the JIDs are bound.
/// </summary>
/// <param name="Client">The client definition the action names.</param>
/// <param name="Kind">What the client does.</param>
/// <param name="Line">1-based line of the action in the script, for failure messages.</param>
/// <param name="Stanzas">The stanzas of the XML block, in order (empty for connects/disconnects/nothing).</param>
public sealed record ScriptAction(ClientDefinition Client, ActionKind Kind, int Line, IReadOnlyList<Element> Stanzas)
{
    public override string ToString() => $"line {Line}: {Client.Name} {Kind}";
}
