namespace Xmpp.Storage;

/// <summary>Which record: the grain's type name, its key and the state's name.</summary>
public readonly record struct GrainStateId(string GrainType, string Key, string StateName)
{
    public override string ToString() => $"{GrainType}/{Key}/{StateName}";
}
