using Orleans.Storage;

namespace Xmpp.Grains;

/// <summary>
/// How grains save their state so that memory never shows what storage does not hold. A grain
/// changes its state in memory, then saves it; when storage refuses the write (a full disk, a file
/// made read-only, a lost connection) the state is read back from storage, dropping the unsaved
/// change, and the request that caused it is answered <c>wait</c>/<c>internal-server-error</c>
/// (RFC 6120 §8.3.3.5; Prosody answers a failed roster save the same way): the client may retry,
/// and nothing it was told happened is lost. Stale state (another writer's newer ETag) is not a
/// failure of storage: it propagates as <see cref="InconsistentStateException"/>, whose handling
/// reloads the whole activation.
/// </summary>
internal static class StoredStateSaving
{
    /// <summary>The error a request gets when its effect could not be stored.</summary>
    public static StanzaError NotSaved { get; } = new(StanzaError.TypeWait, "internal-server-error", "The change could not be stored; try again later");

    /// <summary>Writes the state, or restores it from storage and throws <see cref="NotSaved"/>.</summary>
    public static Task SaveAsync<T>(this IPersistentState<T> state) => StoreAsync(state, state.WriteStateAsync());

    /// <summary>Clears the stored state, or restores it from storage and throws <see cref="NotSaved"/>.</summary>
    public static Task ClearAsync<T>(this IPersistentState<T> state) => StoreAsync(state, state.ClearStateAsync());

    private static async Task StoreAsync<T>(IPersistentState<T> state, Task store)
    {
        try
        {
            await store;
        }
        catch (Exception e) when (e is not InconsistentStateException)
        {
            await ReloadAsync(state, e);
            throw new StanzaErrorException(NotSaved);
        }
    }

    private static async Task ReloadAsync<T>(IPersistentState<T> state, Exception writeFailure)
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception readFailure)
        {
            // Storage can neither write nor read: what memory holds can no longer be checked
            // against it. The activation must go; StanzaBatch deactivates on this exception.
            throw new UnverifiableStateException(new AggregateException(writeFailure, readFailure));
        }
    }

    /// <summary>
    /// Storage could neither write a change nor read back what it holds (an outage): the request is
    /// answered <see cref="NotSaved"/> and the activation reloads, as for any inconsistent state.
    /// </summary>
    public sealed class UnverifiableStateException(Exception failures)
        : InconsistentStateException("State could not be saved nor read back", failures);
}
