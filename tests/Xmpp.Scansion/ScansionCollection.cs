namespace Xmpp.Scansion;

/// <summary>
/// Scripts run one at a time: their outcome depends on timing (the chunk model), which other
/// scripts' servers competing for two cores would blur.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScansionCollection
{
    public const string Name = "scansion";
}
