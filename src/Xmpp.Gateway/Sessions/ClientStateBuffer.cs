using Xmpp.Grains;

namespace Xmpp.Gateway.Sessions;

/// <summary>
/// What an inactive client (XEP-0352) is not sent yet. As Prosody's mod_csi_simple judges
/// importance: presence updates, headlines and messages without a body (chat states, receipts)
/// wait, stamped with when they arrived (XEP-0203); anything else — a message with a body or
/// subject, an encrypted one, an invitation, a call, an error, a subscription request, an IQ —
/// goes at once, after what waited, in order. Of a contact's presence updates and chat states
/// only the latest waits: the client learns how things are, not how they went.
/// </summary>
internal sealed class ClientStateBuffer(string account, TimeProvider clock)
{
    /// <summary>Prosody's csi_queue_size: more than this goes out, however unimportant.</summary>
    public const int MaxHeld = 256;

    private List<Element?> _held = []; // superseded ones as null until the list is compacted
    private int _count; // held and not superseded

    // Where each sender's superseded kind of stanza waits, by "kind sender".
    private readonly Dictionary<string, int> _latest = new(StringComparer.Ordinal);

    /// <summary>What to write now: nothing while all of <paramref name="stanzas"/> may wait; else everything held, then them.</summary>
    public IReadOnlyList<Element> Pass(IReadOnlyList<Element> stanzas)
    {
        if (stanzas.Any(IsImportant) || _count + stanzas.Count > MaxHeld)
        {
            var all = TakeAll();
            all.AddRange(stanzas);
            return all;
        }

        foreach (var stanza in stanzas)
        {
            Hold(stanza);
        }

        return [];
    }

    /// <summary>Everything held, in order (the client became active or sent something, or its session ends).</summary>
    public List<Element> TakeAll()
    {
        var all = _held.OfType<Element>().ToList();
        _held.Clear();
        _latest.Clear();
        _count = 0;
        return all;
    }

    private void Hold(Element stanza)
    {
        // The instance may be on its way to other sessions too: the stamp goes on a copy.
        var held = stanza.Clone();
        Delay.Stamp(held, account, clock.GetUtcNow());
        if (SupersededKind(stanza) is { } kind && stanza.From is { } from)
        {
            var key = kind + " " + from;
            if (_latest.TryGetValue(key, out var earlier))
            {
                _held[earlier] = null;
                _count--;
            }

            _latest[key] = _held.Count;
        }

        _held.Add(held);
        _count++;
        if (_held.Count > 2 * MaxHeld)
        {
            Compact(); // a contact whose presence keeps changing all night must not grow the list
        }
    }

    /// <summary>Drops the superseded (null) slots, and moves the latest ones' indexes along.</summary>
    private void Compact()
    {
        var moved = new int[_held.Count];
        var kept = new List<Element?>(_count);
        for (var i = 0; i < _held.Count; i++)
        {
            if (_held[i] is { } stanza)
            {
                moved[i] = kept.Count;
                kept.Add(stanza);
            }
        }

        foreach (var (key, index) in _latest.ToList())
        {
            _latest[key] = moved[index];
        }

        _held = kept;
    }

    /// <summary>
    /// Presence updates and bare chat states, of which only a sender's latest matters; null for
    /// anything else (a chat state that comes with a receipt or a marker is not replaced by the next one).
    /// </summary>
    private static string? SupersededKind(Element stanza) =>
        stanza.Name == Stanza.Presence ? "presence"
        : stanza.Name == Stanza.Message && IsBareChatState(stanza) ? "chatstate"
        : null;

    private static bool IsBareChatState(Element message) =>
        message.Elements().Any(e => e.Namespace == Namespaces.ChatStates)
        && message.Elements().All(e => e.Namespace is Namespaces.ChatStates or Namespaces.Hints || (e.Name == "thread" && e.Namespace == Namespaces.Client));

    /// <summary>mod_csi_simple's is_important.</summary>
    internal static bool IsImportant(Element stanza)
    {
        switch (stanza.Name)
        {
            case Stanza.Presence:
                return stanza.Type is not (null or "unavailable" or "error"); // a subscription request matters
            case Stanza.Message:
                if (stanza.Type == "headline")
                {
                    return false;
                }

                if (stanza.Type == "error" || Carbons.IsSent(stanza))
                {
                    return true;
                }

                var message = Carbons.UnwrapReceived(stanza) ?? stanza;
                return message.Child("body", Namespaces.Client) is not null
                    || message.Child("subject", Namespaces.Client) is not null // the last step of a room join
                    || message.Child("encryption", Namespaces.Eme) is not null
                    || message.Child("x", Namespaces.Conference) is not null
                    || message.Child("x", Namespaces.MucUser)?.Child("invite", Namespaces.MucUser) is not null
                    || message.Elements().Any(e => e.Namespace is "urn:xmpp:jingle-message:0" or "urn:xmpp:jingle-message:1");
            default:
                return true;
        }
    }
}
