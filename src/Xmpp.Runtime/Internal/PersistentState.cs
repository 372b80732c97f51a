using System.Text.Json;
using Xmpp.Runtime.Storage;

namespace Xmpp.Runtime.Internal;

/// <summary>Lets the activation read every state of a new grain before its first turn.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync();
}

/// <summary>
/// A grain's named state bound to <see cref="IGrainStorage"/>: JSON on the wire, and the ETag of
/// the last read or write presented on the next write, so a concurrent writer is detected.
/// </summary>
internal sealed class PersistentState<TState>(IGrainStorage storage, GrainStateId id, JsonSerializerOptions options)
    : IPersistentState<TState>, IStateLoader
    where TState : new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync()
    {
        var stored = await storage.ReadAsync(id);
        if (stored is null)
        {
            State = new TState();
            Etag = null;
            RecordExists = false;
            return;
        }

        State = JsonSerializer.Deserialize<TState>(stored.Data.Span, options) ?? new TState();
        Etag = stored.Etag;
        RecordExists = true;
    }

    public async Task WriteStateAsync()
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(State, options);
        Etag = await storage.WriteAsync(id, data, Etag);
        RecordExists = true;
    }

    public async Task ClearStateAsync()
    {
        await storage.ClearAsync(id, Etag);
        State = new TState();
        Etag = null;
        RecordExists = false;
    }

    public override string ToString() => id.ToString();
}
