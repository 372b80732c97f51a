using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Xmpp.Storage;

/// <summary>
/// Orleans' <see cref="IGrainStorage"/> over an <see cref="IStateStore"/>: the state as JSON
/// (System.Text.Json, public properties), one record per (grain type, key, state name) and the
/// record's ETag kept in <see cref="IGrainState{T}.ETag"/> for the next write. A write whose ETag is
/// stale throws <see cref="InconsistentStateException"/> (Orleans then deactivates the grain, which
/// reloads on its next call): a concurrent change is never overwritten silently.
/// </summary>
/// <remarks>
/// JSON rather than Orleans' binary format: the records stay readable in the database, the same
/// files as before the move to Orleans load unchanged, and state classes need no serializer
/// attributes. Get-only collection properties are populated on read (Populate handling), so
/// <c>public Dictionary&lt;K, V&gt; Items { get; } = new();</c> round-trips instead of coming back empty.
/// </remarks>
public sealed class StateStoreGrainStorage(IStateStore store) : IGrainStorage
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.General)
    {
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    };

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var stored = await store.ReadAsync(Id(stateName, grainId));
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = JsonSerializer.Deserialize<T>(stored.Data.Span, SerializerOptions) ?? Activator.CreateInstance<T>();
        grainState.ETag = stored.Etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var data = JsonSerializer.SerializeToUtf8Bytes(grainState.State, SerializerOptions);
        grainState.ETag = await store.WriteAsync(Id(stateName, grainId), data, grainState.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await store.ClearAsync(Id(stateName, grainId), grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>The record of a grain's state: its grain type name (e.g. "user"), its string key and the state's name.</summary>
    public static GrainStateId Id(string stateName, GrainId grainId) => new(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);
}
