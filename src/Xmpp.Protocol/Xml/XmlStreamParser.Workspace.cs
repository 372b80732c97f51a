namespace Xmpp.Protocol.Xml;

// The working arrays of the token being read (name bytes, decoded characters, attributes, a
// reference, a split UTF-8 sequence). Between stanzas they hold nothing, and most of a server's
// parsers sit on idle connections between stanzas: so a parser borrows a workspace when a read
// starts and gives it back when the read ends at a stanza boundary. A partial stanza keeps it
// until a later read completes the stanza. Workspaces are cached one per thread, so a busy stream
// borrows and returns without allocating.
public sealed partial class XmlStreamParser
{
    private const int InitialScratch = 32;
    private const int InitialChars = 64;

    [ThreadStatic]
    private static Workspace? t_spare;

    // Null between reads that ended at a stanza boundary; set for the whole of every Parse call.
    private Workspace _work = null!;

    private sealed class Workspace
    {
        public byte[] Scratch = new byte[InitialScratch];
        public char[] Chars = new char[InitialChars];
        public PendingAttribute[] Attributes = new PendingAttribute[4];
        public readonly byte[] Entity = new byte[MaxEntityLength];
        public readonly byte[] Utf8Pending = new byte[4];
    }

    private void BorrowWorkspace()
    {
        if (_work is not null)
        {
            return;
        }

        var spare = t_spare;
        t_spare = null;
        _work = spare ?? new Workspace();
    }

    /// <summary>
    /// Gives the workspace back between stanzas. Names, attributes and references live within one
    /// token (their lengths restart with the next one); text at the top level is white space that
    /// is never decoded, so no characters are pending there either.
    /// </summary>
    private void ReturnWorkspaceIfIdle()
    {
        var work = _work;
        if (work is null || !IsAtStanzaBoundary || _charsLength != 0 || _utf8PendingLength != 0)
        {
            return;
        }

        _work = null!;
        Array.Clear(work.Attributes); // no stanza's values stay reachable from the cache
        t_spare ??= work;
    }
}
