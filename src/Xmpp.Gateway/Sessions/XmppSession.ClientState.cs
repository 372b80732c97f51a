namespace Xmpp.Gateway.Sessions;

// Client state indication (XEP-0352): a client that says it is <inactive/> (a phone in a pocket)
// is not woken for what can wait (ClientStateBuffer); what waited goes out when it says <active/>
// again or sends anything (it is awake then, as Prosody's mod_csi_simple takes it), or with the
// first thing that cannot wait. A session that ends hands what waited back to its account.
internal sealed partial class XmppSession
{
    private readonly Lock _clientStateLock = new();
    private ClientStateBuffer? _clientState; // set while the client is inactive

    private static bool IsClientStateNonza(Element element) =>
        element.Namespace == Namespaces.ClientState && element.Name is "active" or "inactive";

    private async ValueTask OnClientStateAsync(Element nonza)
    {
        var inactive = nonza.Name == "inactive";
        lock (_clientStateLock)
        {
            if (inactive == _clientState is not null)
            {
                return; // no change
            }

            SendHeld();
            _clientState = inactive ? new ClientStateBuffer(Jid!.Bare.ToString(), TimeProvider.System) : null;
        }

        // Its account wakes the device through push notifications while its stanzas wait here
        // (XEP-0357) — unless stream management is on: then it is woken when the connection goes
        // and the session hibernates. Awaited, so that what the client sends next finds the account knowing.
        await _user!.ClientStateChangedAsync(_resource!, _observer!, inactive && _sm is null);
    }

    /// <summary>Stanzas for the client while it is inactive (or just became active again: the buffer is gone then).</summary>
    private void SendThroughClientState(IReadOnlyList<Element> stanzas)
    {
        lock (_clientStateLock)
        {
            if (_clientState is { } buffer)
            {
                stanzas = buffer.Pass(stanzas);
            }

            if (stanzas.Count > 0)
            {
                Enqueue(new OutboundItem(OutboundKind.Stanzas, stanzas, null, ElementSize.Estimate(stanzas)));
            }
        }
    }

    /// <summary>What waited goes out now (the client sent something); the state stays.</summary>
    private void ReleaseHeldStanzas()
    {
        if (Volatile.Read(ref _clientState) is null)
        {
            return;
        }

        lock (_clientStateLock)
        {
            SendHeld();
        }
    }

    /// <summary>
    /// The connection ended: what waited goes back to its account (or, with stream management, waits
    /// with the unacknowledged), and nothing is held any more: what comes while the session
    /// hibernates must wait where a resumption or the expiry finds it.
    /// </summary>
    private void EndClientState()
    {
        lock (_clientStateLock)
        {
            SendHeld();
            _clientState = null;
        }
    }

    private void SendHeld()
    {
        if (_clientState?.TakeAll() is { Count: > 0 } held)
        {
            Enqueue(new OutboundItem(OutboundKind.Stanzas, held, null, ElementSize.Estimate(held)));
        }
    }
}
