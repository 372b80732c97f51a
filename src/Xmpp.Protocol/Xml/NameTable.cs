using System.Collections.Frozen;
using System.Reflection;
using System.Text;

namespace Xmpp.Protocol.Xml;

/// <summary>
/// Interns the names and namespace URIs of one parser, so that a stanza's <c>message</c>,
/// <c>body</c> and <c>jabber:client</c> are the same string objects every time (no allocation,
/// and ordinal comparisons short-circuit on reference equality). A static table of the common
/// protocol vocabulary is shared; other names are remembered per parser up to a bound, so that a
/// peer sending endless distinct names cannot grow it.
/// </summary>
internal sealed class NameTable
{
    public const int MaxLength = 128;
    private const int MaxAdded = 512;

    private static readonly FrozenSet<string> Common = BuildCommon();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CommonLookup =
        Common.GetAlternateLookup<ReadOnlySpan<char>>();

    private HashSet<string>? _added;

    /// <summary>A name whose bytes have been validated (NCName, so UTF-8 is well formed).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxLength)
        {
            Span<char> chars = stackalloc char[MaxLength];
            if (Ascii.ToUtf16(utf8, chars, out var written) == OperationStatus.Done)
            {
                return Get(chars[..written], remember: true);
            }
        }

        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Interns decoded text; <paramref name="remember"/> adds it to this parser's table when new.</summary>
    public string Get(ReadOnlySpan<char> chars, bool remember)
    {
        if (chars.Length > MaxLength)
        {
            return new string(chars);
        }

        if (CommonLookup.TryGetValue(chars, out var common))
        {
            return common;
        }

        if (!remember)
        {
            return new string(chars);
        }

        _added ??= new HashSet<string>(StringComparer.Ordinal);
        var lookup = _added.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var added))
        {
            return added;
        }

        var value = new string(chars);
        if (_added.Count < MaxAdded)
        {
            _added.Add(value);
        }

        return value;
    }

    /// <summary>Only the shared vocabulary: for attribute values, which are mostly unique (ids, JIDs).</summary>
    public static string GetCommonOrNew(ReadOnlySpan<char> chars) =>
        chars.Length <= 32 && CommonLookup.TryGetValue(chars, out var common) ? common : new string(chars);

    private static FrozenSet<string> BuildCommon()
    {
        // Literals are in the runtime's intern pool, so string.Intern returns the very objects that
        // code comparing with Namespaces.Client or "message" holds.
        var names = new List<string>();
        foreach (var field in typeof(Namespaces).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.IsLiteral && field.GetRawConstantValue() is string ns)
            {
                names.Add(ns);
            }
        }

        names.AddRange(
        [
            // RFC 6120 / 6121 elements and attributes.
            "stream", "features", "error", "text", "message", "presence", "iq", "body", "subject", "thread",
            "show", "status", "priority", "query", "item", "group", "starttls", "proceed", "auth", "mechanisms",
            "mechanism", "challenge", "response", "success", "failure", "abort", "bind", "resource", "jid",
            "session", "optional", "required", "ver", "to", "from", "id", "type", "version", "lang", "xml",
            "xmlns", "name", "subscription", "ask", "approved", "open", "close",
            // Common payloads and attributes.
            "x", "c", "delay", "stamp", "ping", "time", "tzo", "utc", "vCard", "feature", "identity", "category",
            "node", "hash", "var", "value", "field", "label", "option", "title", "instructions", "reported",
            "nick", "affiliation", "role", "reason", "actor", "invite", "decline", "password", "destroy", "code",
            "history", "maxstanzas", "maxchars", "seconds", "since", "block", "unblock", "blocklist", "blocked",
            "pubsub", "event", "items", "publish", "retract", "subscribe", "options", "set", "first", "last",
            "count", "before", "after", "max", "index", "result", "fin", "forwarded", "stanza-id", "origin-id",
            "by", "active", "composing", "paused", "inactive", "gone", "request", "received", "markable",
            "displayed", "acknowledged", "enable", "enabled", "resume", "resumed", "r", "a", "h", "previd",
            "store", "no-store", "no-copy", "no-permanent-store", "sent", "private", "urn:xmpp:sid:0",
            "urn:xmpp:mam:2", "urn:xmpp:carbons:2", "urn:xmpp:sm:3", "urn:xmpp:sm:2", "urn:xmpp:receipts", "urn:xmpp:hints",
            "urn:xmpp:forward:0", "urn:xmpp:chat-markers:0", "urn:xmpp:csi:0", "urn:xmpp:http:upload:0",
            "http://jabber.org/protocol/caps", "http://jabber.org/protocol/chatstates",
            "http://jabber.org/protocol/pubsub", "http://jabber.org/protocol/pubsub#event",
            "http://jabber.org/protocol/pubsub#owner", "http://jabber.org/protocol/rsm",
            "http://jabber.org/protocol/nick", "http://jabber.org/protocol/commands", "jabber:iq:private",
            "jabber:iq:register", "jabber:x:conference", "jabber:x:oob", "storage:bookmarks",
            "urn:xmpp:bookmarks:1", "urn:xmpp:avatar:data", "urn:xmpp:avatar:metadata", "vcard-temp:x:update",
            "urn:xmpp:ping", "urn:xmpp:mucsub:0",
            // Common attribute values.
            "get", "result", "chat", "groupchat", "normal", "headline", "unavailable", "subscribed",
            "unsubscribe", "unsubscribed", "probe", "away", "xa", "dnd", "none", "both", "remove", "member",
            "owner", "admin", "outcast", "moderator", "participant", "visitor", "cancel", "modify", "wait",
            "submit", "form", "hidden", "boolean", "fixed", "list-single", "list-multi", "text-single",
            "text-multi", "text-private", "jid-single", "jid-multi", "FORM_TYPE", "true", "false", "0", "1",
            "1.0", "en", "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "client", "pc", "phone", "web", "server",
            "im", "conference", "text", "sha-1", "utf-8", "UTF-8",
        ]);
        return names.Select(string.Intern).ToFrozenSet(StringComparer.Ordinal);
    }
}
