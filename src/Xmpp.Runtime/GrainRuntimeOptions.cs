using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xmpp.Runtime;

/// <summary>Settings of the in-process grain runtime.</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>An activation that received no call for this long is deactivated (reason <see cref="DeactivationReason.Idle"/>).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A request/response call that has not completed after this long (queueing included) faults
    /// with <see cref="TimeoutException"/>, so that a cycle of grains awaiting each other cannot
    /// hang forever. One-way calls never time out. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shutdown waits for activations to run OnDeactivateAsync.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How <see cref="IPersistentState{TState}"/> serializes state (System.Text.Json, public
    /// properties). Get-only collection properties are populated on read (Populate handling), so
    /// <c>public Dictionary&lt;K, V&gt; Items { get; } = new();</c> round-trips instead of coming back empty.
    /// </summary>
    public JsonSerializerOptions StateSerializerOptions { get; set; } = new(JsonSerializerDefaults.General)
    {
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    };
}
