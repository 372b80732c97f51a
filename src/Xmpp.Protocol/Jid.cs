using System.Globalization;
using System.Text;

namespace Xmpp.Protocol;

/// <summary>
/// An XMPP address (RFC 7622): <c>[localpart@]domainpart[/resourcepart]</c>, held in canonical
/// form so that ordinal string comparison is address comparison. The localpart is case-folded
/// and width-mapped (UsernameCaseMapped), the domain lower-cased and IDNA-checked, the resource
/// kept as given apart from NFC and space mapping (OpaqueString).
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private const int MaxPartBytes = 1023;

    // RFC 7622 §3.3.1: characters a localpart may never contain.
    private static readonly SearchValues<char> LocalpartForbidden = SearchValues.Create("\"&'/:<>@ ");

    private Jid(string? local, string domain, string? resource, string text)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
        _text = text;
    }

    private readonly string _text;

    public string? Local { get; }

    public string Domain { get; }

    public string? Resource { get; }

    public bool IsBare => Resource is null;

    public bool IsFull => Resource is not null;

    /// <summary>The address without its resource (itself when already bare).</summary>
    public Jid Bare => Resource is null ? this : new Jid(Local, Domain, null, Compose(Local, Domain, null));

    public static Jid Parse(string text) =>
        TryParse(text, out var jid, out var reason) ? jid : throw new JidFormatException(text, reason);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Jid? jid) => TryParse(text, out jid, out _);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Jid? jid, out string reason)
    {
        jid = null;
        if (string.IsNullOrEmpty(text))
        {
            reason = "empty address";
            return false;
        }

        // RFC 7622 §3.1: the first '/' ends the domain; the '@' before it ends the localpart.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var beforeResource = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        var at = beforeResource.IndexOf('@');
        string? local = at < 0 ? null : beforeResource[..at].ToString();
        var domain = at < 0 ? beforeResource : beforeResource[(at + 1)..];
        string? resource = slash < 0 ? null : text[(slash + 1)..];
        if (DomainCache.TryGet(domain, out var preparedDomain))
        {
            return TryCreatePrepared(local, preparedDomain, resource, out jid, out reason);
        }

        return TryCreate(local, domain.ToString(), resource, out jid, out reason);
    }

    public static Jid Create(string? local, string domain, string? resource = null) =>
        TryCreate(local, domain, resource, out var jid, out var reason)
            ? jid
            : throw new JidFormatException(Compose(local, domain, resource), reason);

    public static bool TryCreate(string? local, string domain, string? resource, [NotNullWhen(true)] out Jid? jid, out string reason)
    {
        jid = null;
        if (!DomainCache.TryGet(domain, out var preparedDomain))
        {
            if (!TryPrepareDomain(domain, out preparedDomain, out reason))
            {
                return false;
            }

            DomainCache.Add(domain, preparedDomain);
        }

        return TryCreatePrepared(local, preparedDomain, resource, out jid, out reason);
    }

    private static bool TryCreatePrepared(string? local, string preparedDomain, string? resource, [NotNullWhen(true)] out Jid? jid, out string reason)
    {
        jid = null;
        string? preparedLocal = null;
        if (local is not null && !TryPrepareLocalpart(local, out preparedLocal, out reason))
        {
            return false;
        }

        string? preparedResource = null;
        if (resource is not null && !TryPrepareResourcepart(resource, out preparedResource, out reason))
        {
            return false;
        }

        jid = new Jid(preparedLocal, preparedDomain, preparedResource, Compose(preparedLocal, preparedDomain, preparedResource));
        reason = string.Empty;
        return true;
    }

    public Jid WithResource(string? resource) => Create(Local, Domain, resource);

    /// <summary>RFC 7622 §3.3: UsernameCaseMapped profile of PRECIS.</summary>
    public static bool TryPrepareLocalpart(string local, [NotNullWhen(true)] out string? prepared, out string reason)
    {
        prepared = null;
        if (local.Length == 0)
        {
            reason = "empty localpart";
            return false;
        }

        // Width mapping (fullwidth/halfwidth to their decomposition) is what NFKC does for them;
        // case mapping, then NFC.
        var mapped = MapWidth(local).ToLowerInvariant();
        if (!TryNormalize(mapped, out mapped))
        {
            reason = "localpart is not valid Unicode";
            return false;
        }

        if (mapped.AsSpan().IndexOfAny(LocalpartForbidden) >= 0 || HasDisallowedCodePoint(mapped, allowSpaces: false))
        {
            reason = "localpart contains a forbidden character";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(mapped) > MaxPartBytes)
        {
            reason = "localpart is longer than 1023 bytes";
            return false;
        }

        prepared = mapped;
        reason = string.Empty;
        return true;
    }

    /// <summary>RFC 7622 §3.4: OpaqueString profile of PRECIS.</summary>
    public static bool TryPrepareResourcepart(string resource, [NotNullWhen(true)] out string? prepared, out string reason)
    {
        prepared = null;
        if (resource.Length == 0)
        {
            reason = "empty resourcepart";
            return false;
        }

        var mapped = MapNonAsciiSpaces(resource);
        if (!TryNormalize(mapped, out mapped))
        {
            reason = "resourcepart is not valid Unicode";
            return false;
        }

        if (HasDisallowedCodePoint(mapped, allowSpaces: true))
        {
            reason = "resourcepart contains a forbidden character";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(mapped) > MaxPartBytes)
        {
            reason = "resourcepart is longer than 1023 bytes";
            return false;
        }

        prepared = mapped;
        reason = string.Empty;
        return true;
    }

    /// <summary>RFC 7622 §3.2: domain names lower-cased, IDNA-valid, without a trailing dot; IP literals allowed.</summary>
    public static bool TryPrepareDomain(string domain, [NotNullWhen(true)] out string? prepared, out string reason)
    {
        prepared = null;

        // RFC 7622 §3.2: every IDNA label separator is a full stop, and one trailing dot is removed.
        domain = MapLabelSeparators(domain);
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }

        if (domain.EndsWith('.'))
        {
            reason = "domainpart ends with an empty label";
            return false;
        }

        if (domain.Length == 0)
        {
            reason = "empty domainpart";
            return false;
        }

        if (domain[0] == '[' && domain[^1] == ']')
        {
            if (!System.Net.IPAddress.TryParse(domain.AsSpan(1, domain.Length - 2), out var address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                reason = "invalid IPv6 literal";
                return false;
            }

            prepared = domain.ToLowerInvariant();
            reason = string.Empty;
            return true;
        }

        var lower = MapWidth(domain).ToLowerInvariant();
        if (!TryNormalize(lower, out lower))
        {
            reason = "domainpart is not valid Unicode";
            return false;
        }

        try
        {
            // IdnMapping rejects labels that are empty, too long or contain forbidden code points;
            // we keep the Unicode form, as RFC 7622 §3.2 prefers.
            var ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(lower);
            if (ascii.Length > 253 || Encoding.UTF8.GetByteCount(lower) > MaxPartBytes)
            {
                reason = "domainpart is too long";
                return false;
            }
        }
        catch (ArgumentException)
        {
            reason = "domainpart is not a valid domain name";
            return false;
        }

        prepared = lower;
        reason = string.Empty;
        return true;
    }

    // U+3002 ideographic, U+FF0E fullwidth and U+FF61 halfwidth ideographic full stops (RFC 5895 §2, UTS #46).
    private static string MapLabelSeparators(string value) =>
        value.AsSpan().IndexOfAny('\u3002', '\uFF0E', '\uFF61') < 0
            ? value
            : value.Replace('\u3002', '.').Replace('\uFF0E', '.').Replace('\uFF61', '.');

    private static string MapWidth(string value)
    {
        foreach (var c in value)
        {
            if (c >= '\uFF01')
            {
                return string.Concat(value.Select(ch => ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch));
            }
        }

        return value;
    }

    private static string MapNonAsciiSpaces(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7F && char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator)
            {
                return string.Concat(value.Select(ch => ch > 0x7F && char.GetUnicodeCategory(ch) == UnicodeCategory.SpaceSeparator ? ' ' : ch));
            }
        }

        return value;
    }

    private static bool TryNormalize(string value, out string normalized)
    {
        // Checked first: normalization may quietly turn a lone surrogate into U+FFFD.
        if (HasLoneSurrogate(value))
        {
            normalized = value;
            return false;
        }

        try
        {
            normalized = value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            // Lone surrogates.
            normalized = value;
            return false;
        }
    }

    private static bool HasDisallowedCodePoint(string value, bool allowSpaces)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            switch (category)
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format when rune.Value != 0x200C && rune.Value != 0x200D:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                    return true;
                case UnicodeCategory.SpaceSeparator when !allowSpaces:
                    return true;
            }
        }

        return false;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            var i = value.IndexOfAnyInRange('\uD800', '\uDFFF');
            if (i < 0)
            {
                return false;
            }

            if (Rune.DecodeFromUtf16(value[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return true;
            }

            value = value[(i + consumed)..];
        }

        return false;
    }

    private static string Compose(string? local, string domain, string? resource)
    {
        var text = local is null ? domain : string.Concat(local, "@", domain);
        return resource is null ? text : string.Concat(text, "/", resource);
    }

    public bool Equals(Jid? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Jid other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public static bool operator ==(Jid? left, Jid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Jid? left, Jid? right) => !(left == right);

    public override string ToString() => _text;
}
