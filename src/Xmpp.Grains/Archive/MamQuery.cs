using System.Globalization;
using Xmpp.Protocol.DataForms;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Archive;

/// <summary>
/// An archive query as a client sends it (XEP-0313 §4: <c>&lt;query xmlns='urn:xmpp:mam:2'/&gt;</c>
/// with a data form and an XEP-0059 set), read into an <see cref="ArchiveQuery"/>. Malformed values
/// are bad-request; ids this server never handed out are item-not-found (they cannot be in the archive).
/// </summary>
public sealed record MamQuery(string? QueryId, ArchiveQuery Query, bool FlipPage)
{
    /// <summary>The form a client fills in (XEP-0313 §4.1.5; what <c>type='get'</c> answers), with the extended fields.</summary>
    public static Element Form()
    {
        var form = new DataForm(DataForm.Form).WithFormType(Namespaces.Mam);
        form.Add(new DataFormField("with", DataFormField.JidSingle));
        form.Add(new DataFormField("start", DataFormField.TextSingle) { Datatype = "xs:dateTime" });
        form.Add(new DataFormField("end", DataFormField.TextSingle) { Datatype = "xs:dateTime" });
        form.Add(new DataFormField("before-id", DataFormField.TextSingle));
        form.Add(new DataFormField("after-id", DataFormField.TextSingle));
        form.Add(new DataFormField("ids", DataFormField.TextMulti));
        return new Element("query", Namespaces.Mam).Add(form.ToElement());
    }

    public static MamQuery Parse(Element query, ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        var archiveQuery = new ArchiveQuery { Max = options.DefaultPageSize, Count = options.IncludeCount };
        if (DataForm.Find(query) is { } form)
        {
            if (form.FormType is { } formType && formType != Namespaces.Mam)
            {
                throw new StanzaErrorException(StanzaError.BadRequest($"Unexpected FORM_TYPE, expected '{Namespaces.Mam}'"));
            }

            archiveQuery = ReadForm(form, archiveQuery);
        }

        if (query.Child("set", Namespaces.Rsm) is { } set)
        {
            archiveQuery = ReadSet(set, archiveQuery, options);
        }

        return new MamQuery(query.GetAttribute("queryid"), archiveQuery, query.Child("flip-page", Namespaces.Mam) is not null);
    }

    private static ArchiveQuery ReadForm(DataForm form, ArchiveQuery query)
    {
        if (Value(form, "with") is { } withText)
        {
            if (!Jid.TryParse(withText, out var with))
            {
                throw new StanzaErrorException(StanzaError.BadRequest($"'{withText}' is not a JID"));
            }

            // §4.1.1: a bare JID matches its full JIDs too; a full JID only itself.
            query = query with { With = with.ToString(), WithIsBare = with.IsBare };
        }

        if (Value(form, "start") is { } start)
        {
            query = query with { MinId = ArchiveId.FromTime(ParseTime(start, "start")) };
        }

        if (Value(form, "end") is { } end)
        {
            // A stamp without fractions names a whole second (the precision of the stamps this
            // server sends): a message stamped 12:00:05 is included in end=12:00:05.
            var last = ArchiveId.FromTime(ParseTime(end, "end"));
            query = query with { MaxId = end.Contains('.', StringComparison.Ordinal) ? last : last + 999_999 };
        }

        if (Value(form, "after-id") is { } afterId)
        {
            query = query with { AfterId = ParseId(afterId) };
        }

        if (Value(form, "before-id") is { } beforeId)
        {
            query = query with { BeforeId = ParseId(beforeId) };
        }

        if (form["ids"] is { } ids)
        {
            // An id never handed out matches nothing, as an id not (or no longer) in the archive does.
            query = query with { Ids = [.. ids.Values.Select(v => ArchiveId.TryParse(v.Trim(), out var id) ? id : -1).Where(id => id >= 0)] };
        }

        return query;
    }

    private static ArchiveQuery ReadSet(Element set, ArchiveQuery query, ArchiveOptions options)
    {
        var max = query.Max;
        if (set.ChildText("max", Namespaces.Rsm) is { } maxText)
        {
            if (!int.TryParse(maxText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out max))
            {
                throw new StanzaErrorException(StanzaError.BadRequest("RSM max must be a non-negative integer"));
            }
        }

        query = query with { Max = Math.Min(max, options.MaxPageSize) };
        if (set.ChildText("after", Namespaces.Rsm) is { } after)
        {
            query = query with { PageAfter = ParseId(after) };
        }

        if (set.Child("before", Namespaces.Rsm) is { } before)
        {
            // XEP-0059 §2.5: an empty <before/> asks for the last page.
            query = query with { FromEnd = true, PageBefore = before.Text.Trim() is { Length: > 0 } id ? ParseId(id) : null };
        }

        return query;
    }

    private static string? Value(DataForm form, string var) => form[var]?.Value is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static long ParseId(string text) =>
        ArchiveId.TryParse(text.Trim(), out var id) ? id : throw new StanzaErrorException(StanzaError.ItemNotFound($"No message with id '{text}' in the archive"));

    /// <summary>XEP-0082 date-time: a date, a time with optional fractions, and a zone (Z or ±hh:mm).</summary>
    public static DateTimeOffset ParseTime(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 20 && text[10] == 'T'
            && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && (text.EndsWith('Z') || text[^6] is '+' or '-'))
        {
            return time;
        }

        throw new StanzaErrorException(StanzaError.BadRequest($"Invalid timestamp in '{field}': {text}"));
    }
}
