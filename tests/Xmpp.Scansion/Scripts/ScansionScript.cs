namespace Xmpp.Scansion.Scripts;

/// <summary>A parsed <c>.scs</c> script: its title, its characters and what they do.</summary>
/// <param name="Name">The file name (<c>blocking.scs</c>), for messages.</param>
/// <param name="Title">The first comment line, without its <c>#</c>; empty when there is none.</param>
public sealed record ScansionScript(
    string Name,
    string Title,
    IReadOnlyList<ClientDefinition> Clients,
    IReadOnlyList<ScriptAction> Actions);
