namespace Xmpp.Runtime;

/// <summary>
/// One named piece of a grain's durable state, loaded before the grain's first turn. Writes use
/// optimistic concurrency on the ETag: a concurrent writer makes the write throw
/// <see cref="InconsistentStateException"/>, never silently overwrite.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    Task WriteStateAsync();

    Task ClearStateAsync();
}
