namespace Xmpp.Protocol;

/// <summary>
/// Prepared domainparts of the few domains a server sees over and over (its own, its MUC host,
/// its peers): RFC 7622 preparation runs IDNA mapping, which allocates and costs far more than
/// the rest of parsing a JID, and each JID would otherwise hold its own copy of "example.com".
/// Direct-mapped and bounded: a peer sending endless distinct domains only evicts entries.
/// </summary>
internal static class DomainCache
{
    private const int Size = 32; // a power of two
    private const int MaxLength = 64;

    private static readonly Entry?[] Entries = new Entry?[Size];

    /// <summary>The prepared form of <paramref name="raw"/> when it was prepared before.</summary>
    public static bool TryGet(ReadOnlySpan<char> raw, [NotNullWhen(true)] out string? prepared)
    {
        if (raw.Length <= MaxLength && Volatile.Read(ref Entries[Slot(raw)]) is { } entry && raw.SequenceEqual(entry.Raw))
        {
            prepared = entry.Prepared;
            return true;
        }

        prepared = null;
        return false;
    }

    public static void Add(string raw, string prepared)
    {
        if (raw.Length <= MaxLength)
        {
            Volatile.Write(ref Entries[Slot(raw)], new Entry(raw, prepared));
        }
    }

    private static int Slot(ReadOnlySpan<char> raw) => string.GetHashCode(raw) & (Size - 1);

    private sealed record Entry(string Raw, string Prepared);
}
