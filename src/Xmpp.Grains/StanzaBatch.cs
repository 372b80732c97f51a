using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Xmpp.Grains;

/// <summary>What a grain does with each stanza of a batch, and with one it could not handle.</summary>
internal interface IStanzaHandler
{
    Task HandleAsync(Element stanza);

    /// <summary>Answers the stanza's sender with the error (unless the stanza may not be answered).</summary>
    void Reply(Element stanza, StanzaError error);

    /// <summary>Stored state changed under this activation: it must reload before it writes again.</summary>
    void StaleState();

    ILogger Logger { get; }
}

/// <summary>
/// How a grain takes a batch of stanzas (one call of <see cref="Routing.OrderedDelivery{T}"/>): one at
/// a time, in order, each on its own: a stanza error is answered to that stanza's sender, and an
/// unexpected failure (a cancelled storage call included) is logged and answered
/// <c>internal-server-error</c> while the rest of the batch still runs. The sender always hears of a stanza that was not handled. Generic over the
/// handler so that a struct handler costs no allocation per batch.
/// </summary>
internal static class StanzaBatch
{
    public static async Task HandleEachAsync<THandler>(IReadOnlyList<Element> stanzas, THandler handler)
        where THandler : IStanzaHandler
    {
        for (var i = 0; i < stanzas.Count; i++)
        {
            await HandleAsync(stanzas[i], handler);
        }
    }

    /// <summary>One stanza of a batch that its grain walks itself (to keep something of each stanza at hand).</summary>
    public static async Task HandleAsync<THandler>(Element stanza, THandler handler)
        where THandler : IStanzaHandler
    {
        try
        {
            await handler.HandleAsync(stanza);
        }
        catch (StanzaErrorException e)
        {
            handler.Reply(stanza, e.Error);
        }
        catch (Exception e)
        {
            handler.Logger.LogError(e, "Handling a <{Stanza}/> from {From} failed", stanza.Name, stanza.From);

            // A change storage could neither keep nor undo was still not made: try again later.
            handler.Reply(stanza, e is StoredStateSaving.UnverifiableStateException ? StoredStateSaving.NotSaved : StanzaError.InternalServerError());
            if (e is InconsistentStateException)
            {
                handler.StaleState();
            }
        }
    }
}
