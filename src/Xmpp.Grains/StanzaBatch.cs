using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Xmpp.Grains;

/// <summary>
/// How a grain takes a batch of stanzas (one call of <see cref="Routing.OrderedDelivery{T}"/>): one at
/// a time, in order, each on its own: a stanza error is answered to that stanza's sender, and an
/// unexpected failure is logged and answered <c>internal-server-error</c> while the rest of the
/// batch still runs. The sender always hears of a stanza that was not handled.
/// </summary>
internal sealed class StanzaBatch(Func<Element, Task> handle, Action<Element, StanzaError> reply, Action staleState, ILogger logger)
{
    public async Task HandleEachAsync(IReadOnlyList<Element> stanzas)
    {
        for (var i = 0; i < stanzas.Count; i++)
        {
            await HandleAsync(stanzas[i]);
        }
    }

    /// <summary>One stanza of a batch that its grain walks itself (to keep something of each stanza at hand).</summary>
    public async Task HandleAsync(Element stanza)
    {
        try
        {
            await handle(stanza);
        }
        catch (StanzaErrorException e)
        {
            reply(stanza, e.Error);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Handling a <{Stanza}/> from {From} failed", stanza.Name, stanza.From);
            reply(stanza, StanzaError.InternalServerError());
            if (e is InconsistentStateException)
            {
                // Stored state changed under this activation: it must reload before it writes again.
                staleState();
            }
        }
    }
}
