using System.Globalization;
using System.Text;
using Xmpp.Grains.Muc.State;

namespace Xmpp.Grains.Muc;

// Discussion history (XEP-0045 §7.2.15), as Prosody's history.lib. History lives in memory; a
// persistent room saves it when its grain deactivates, so an idle room comes back as it was.
public sealed partial class RoomGrain
{
    private readonly List<HistoryEntry> _history = [];
    private bool _historyDirty;

    private int HistoryLength => Math.Min(Config.HistoryLength ?? MucRoomDefaults.DefaultHistoryLength, _muc.MaxHistoryMessages ?? int.MaxValue);

    private int DefaultHistoryMessages => Config.DefaultHistoryMessages ?? MucRoomDefaults.DefaultHistoryLength;

    /// <summary>Keeps a broadcast message (from = occupant JID, no 'to') with the room's delay stamp.</summary>
    private void AddToHistory(Element message)
    {
        if (HistoryLength == 0)
        {
            _history.Clear();
            return;
        }

        var now = Now;
        var stored = Stanza.Envelope(message, null);
        stored.Add(Delay.Create(_jid, now));
        _history.Add(new HistoryEntry(stored, now));
        if (_history.Count > HistoryLength)
        {
            _history.RemoveRange(0, _history.Count - HistoryLength);
        }

        _historyDirty = true;
    }

    /// <summary>
    /// The history a joining session asked for (§7.2.15: maxchars, maxstanzas, seconds, since;
    /// all applying together), or the room's default number of messages.
    /// </summary>
    private void SendHistory(Element join, string to)
    {
        if (_history.Count == 0)
        {
            return;
        }

        int? maxChars = null;
        int? maxStanzas = null;
        DateTimeOffset? since = null;
        if (join.Child("x", Namespaces.Muc)?.Child("history", Namespaces.Muc) is { } request)
        {
            maxChars = ParseCount(request.GetAttribute("maxchars"));
            maxStanzas = ParseCount(request.GetAttribute("maxstanzas"));
            if (request.GetAttribute("since") is { } text
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                since = parsed;
            }

            if (ParseCount(request.GetAttribute("seconds")) is { } seconds)
            {
                var cutoff = Now.AddSeconds(-seconds);
                since = since is { } earlier && earlier > cutoff ? earlier : cutoff;
            }
        }

        if (maxChars is null && maxStanzas is null && since is null)
        {
            maxStanzas = DefaultHistoryMessages;
        }

        var limit = maxStanzas ?? _history.Count;
        var count = 0;
        var characters = 0;
        for (var i = _history.Count - 1; i >= 0; i--)
        {
            var entry = _history[i];
            if (maxChars is { } max)
            {
                entry.Characters ??= Encoding.UTF8.GetByteCount(XmlText.Serialize(Stanza.Envelope(entry.Stanza, string.Empty)));
                characters += entry.Characters.Value + to.Length;
                if (characters > max)
                {
                    break;
                }
            }

            if (since is { } from && from > entry.Time)
            {
                break;
            }

            if (count + 1 > limit)
            {
                break;
            }

            count++;
        }

        for (var i = _history.Count - count; i < _history.Count; i++)
        {
            Send(Stanza.Envelope(_history[i].Stanza, to));
        }
    }

    private static int? ParseCount(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private void LoadHistory()
    {
        _history.Clear();
        foreach (var stored in _storedHistory.State.Entries)
        {
            try
            {
                _history.Add(new HistoryEntry(XmlText.Parse(stored.Xml), stored.Time));
            }
            catch (FormatException)
            {
                // A damaged entry is skipped rather than keeping the room from loading.
            }
        }

        _historyDirty = false;
    }

    /// <summary>Saves a persistent room's history (on deactivation only, never per message).</summary>
    private async Task SaveHistoryAsync()
    {
        if (!_historyDirty || !_exists || !Config.Persistent)
        {
            return;
        }

        _storedHistory.State.Entries.Clear();
        foreach (var entry in _history)
        {
            _storedHistory.State.Entries.Add(new StoredHistoryEntry { Xml = XmlText.Serialize(entry.Stanza), Time = entry.Time });
        }

        await _storedHistory.SaveAsync();
        _historyDirty = false;
    }

    private async Task ClearStoredHistoryAsync()
    {
        _history.Clear();
        _historyDirty = false;
        if (_storedHistory.RecordExists)
        {
            await _storedHistory.ClearAsync();
        }
    }
}
