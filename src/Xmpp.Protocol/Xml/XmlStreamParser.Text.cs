using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Xmpp.Protocol.Xml;

// Character data: text runs, entity and character references, CDATA sections, the XML declaration.
public sealed partial class XmlStreamParser
{
    // Longest reference we look at: "#x10FFFF" is 8; longer names are refused either way.
    private const int MaxEntityLength = 32;

    // Decoded characters of the current text run or attribute value (bounded by MaxStanzaBytes).
    private int _charsLength;

    // The start of a UTF-8 sequence split across reads (at most 3 bytes).
    private int _utf8PendingLength;

    // A literal CR was just turned into LF (or a space): an LF right after it belongs to it (XML §2.11).
    private bool _lastWasCr;

    private int _entityLength;

    private int _cdataStart;
    private int _cdataMatched;

    private static ReadOnlySpan<byte> CdataOpening => "CDATA["u8;

    private void OnContent(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAny(XmlChars.ContentDelimiters);
        var run = i < 0 ? rest : rest[..i];
        if (!run.IsEmpty)
        {
            if (AtTopLevel)
            {
                // Between stanzas only white space (keepalives) may appear; it produces nothing.
                if (run.IndexOfAnyExcept(XmlChars.Whitespace) >= 0)
                {
                    ThrowNotWellFormed("text is not allowed outside a stanza");
                }

                _atStreamStart = false;
            }
            else
            {
                AppendUtf8(run, attribute: false);
            }
        }

        if (i < 0)
        {
            pos = span.Length;
            return;
        }

        pos += i;
        if (rest[i] == '<')
        {
            if (!_counting)
            {
                // Only at top level: inside an element we are counting already.
                BeginTopLevelToken();
                return;
            }

            // The text run ends here unless a CDATA section continues it (see OnTagOpen).
            if (_utf8PendingLength > 0)
            {
                ThrowNotWellFormed("invalid UTF-8");
            }

            _lastWasCr = false;
            pos++;
            _state = State.TagOpen;
        }
        else
        {
            if (AtTopLevel)
            {
                ThrowNotWellFormed("text is not allowed outside a stanza");
            }

            pos++;
            _entityLength = 0;
            _state = State.ContentEntity;
        }
    }

    /// <summary>Decodes and validates UTF-8 text onto <c>_work.Chars</c>; the tail of a split sequence waits for the next read.</summary>
    private void AppendUtf8(ReadOnlySpan<byte> bytes, bool attribute)
    {
        if (_utf8PendingLength > 0)
        {
            bytes = CompletePendingSequence(bytes, attribute);
            if (bytes.IsEmpty)
            {
                return;
            }
        }

        EnsureChars(bytes.Length);
        var start = _charsLength;
        var status = Utf8.ToUtf16(bytes, _work.Chars.AsSpan(start), out var read, out var written, replaceInvalidSequences: false, isFinalBlock: false);
        if (status == OperationStatus.InvalidData)
        {
            ThrowNotWellFormed("invalid UTF-8");
        }

        if (status == OperationStatus.NeedMoreData)
        {
            var tail = bytes[read..];
            tail.CopyTo(_work.Utf8Pending);
            _utf8PendingLength = tail.Length;
        }

        CommitChars(start, written, attribute);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadOnlySpan<byte> CompletePendingSequence(ReadOnlySpan<byte> bytes, bool attribute)
    {
        var lead = _work.Utf8Pending[0];
        var length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        var take = Math.Min(length - _utf8PendingLength, bytes.Length);
        bytes[..take].CopyTo(_work.Utf8Pending.AsSpan(_utf8PendingLength));
        _utf8PendingLength += take;
        if (_utf8PendingLength < length)
        {
            return [];
        }

        EnsureChars(2);
        var start = _charsLength;
        var status = Utf8.ToUtf16(_work.Utf8Pending.AsSpan(0, length), _work.Chars.AsSpan(start), out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            ThrowNotWellFormed("invalid UTF-8");
        }

        _utf8PendingLength = 0;
        CommitChars(start, written, attribute);
        return bytes[take..];
    }

    /// <summary>
    /// Accepts decoded characters [start, start+count) of <c>_work.Chars</c>: refuses non-Chars
    /// (XML §2.2) and normalizes line ends (§2.11), and in attribute values white space (§3.3.3).
    /// </summary>
    private void CommitChars(int start, int count, bool attribute)
    {
        var chars = _work.Chars.AsSpan(start, count);
        var special = chars.IndexOfAny(attribute ? XmlChars.AttributeSpecial : XmlChars.TextSpecial);
        if (special < 0 && !_lastWasCr)
        {
            _charsLength = start + count;
            return;
        }

        if (count == 0)
        {
            return;
        }

        _charsLength = start + NormalizeChars(chars, special < 0 ? 0 : special, attribute);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NormalizeChars(Span<char> chars, int first, bool attribute)
    {
        if (_lastWasCr)
        {
            first = 0;
        }

        var write = first;
        var lastWasCr = _lastWasCr;
        for (var read = first; read < chars.Length; read++)
        {
            var c = chars[read];
            switch (c)
            {
                case '\r':
                    chars[write++] = attribute ? ' ' : '\n';
                    lastWasCr = true;
                    continue;
                case '\n':
                    if (!lastWasCr)
                    {
                        chars[write++] = attribute ? ' ' : '\n';
                    }

                    break;
                case '\t':
                    chars[write++] = attribute ? ' ' : '\t';
                    break;
                default:
                    if (c < ' ' || c >= '\uFFFE')
                    {
                        ThrowNotWellFormed("character not allowed in XML");
                    }

                    chars[write++] = c;
                    break;
            }

            lastWasCr = false;
        }

        _lastWasCr = lastWasCr;
        return write;
    }

    private void EnsureChars(int more)
    {
        if (_work.Chars.Length - _charsLength < more)
        {
            GrowChars(more);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowChars(int more)
    {
        var size = Math.Max(_work.Chars.Length * 2, _charsLength + more);
        Array.Resize(ref _work.Chars, size);
    }

    private void AppendChar(char c)
    {
        EnsureChars(1);
        _work.Chars[_charsLength++] = c;
        _lastWasCr = false;
    }

    /// <summary>Ends the current text run at a tag: it becomes a text node of the open element.</summary>
    private void FlushText()
    {
        if (_utf8PendingLength > 0)
        {
            ThrowNotWellFormed("invalid UTF-8");
        }

        _lastWasCr = false;
        if (_charsLength > 0)
        {
            _frames[_depth - 1].Element!.Add(new TextNode(new string(_work.Chars, 0, _charsLength)));
            _charsLength = 0;
        }
    }

    /// <summary>After '&amp;', up to ';'.</summary>
    private void OnEntity(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.ReferenceBytes);
        var take = i < 0 ? rest.Length : i;
        if (_entityLength + take > MaxEntityLength)
        {
            take = MaxEntityLength - _entityLength;
            rest[..take].CopyTo(_work.Entity.AsSpan(_entityLength));
            ThrowBadReference(_work.Entity);
        }

        rest[..take].CopyTo(_work.Entity.AsSpan(_entityLength));
        _entityLength += take;
        pos += take;
        if (i < 0)
        {
            return;
        }

        if (rest[i] != ';')
        {
            ThrowNotWellFormed("unterminated reference");
        }

        pos++;
        if (_utf8PendingLength > 0)
        {
            ThrowNotWellFormed("invalid UTF-8");
        }

        ResolveReference(_work.Entity.AsSpan(0, _entityLength));
        _state = _state == State.ContentEntity ? State.Content : State.AttributeValue;
    }

    /// <summary>XML §4.1 references: the five predefined entities (§4.6) and character references.</summary>
    private void ResolveReference(ReadOnlySpan<byte> name)
    {
        switch (name)
        {
            case [(byte)'l', (byte)'t']:
                AppendChar('<');
                return;
            case [(byte)'g', (byte)'t']:
                AppendChar('>');
                return;
            case [(byte)'a', (byte)'m', (byte)'p']:
                AppendChar('&');
                return;
            case [(byte)'q', (byte)'u', (byte)'o', (byte)'t']:
                AppendChar('"');
                return;
            case [(byte)'a', (byte)'p', (byte)'o', (byte)'s']:
                AppendChar('\'');
                return;
            case [(byte)'#', .. var number]:
                AppendCharacterReference(number);
                return;
            default:
                ThrowBadReference(name);
                return;
        }
    }

    private void AppendCharacterReference(ReadOnlySpan<byte> number)
    {
        var hex = !number.IsEmpty && number[0] == 'x';
        var digits = hex ? number[1..] : number;
        if (digits.IsEmpty)
        {
            ThrowNotWellFormed("empty character reference");
        }

        var value = 0;
        foreach (var d in digits)
        {
            int digit;
            if ((uint)(d - '0') <= 9)
            {
                digit = d - '0';
            }
            else if (hex && (uint)((d | 0x20) - 'a') <= 5)
            {
                digit = (d | 0x20) - 'a' + 10;
            }
            else
            {
                ThrowNotWellFormed("invalid character reference");
                return;
            }

            value = (value * (hex ? 16 : 10)) + digit;
            if (value > 0x10FFFF)
            {
                ThrowNotWellFormed("character reference out of range");
            }
        }

        if (!XmlChars.IsChar(value))
        {
            ThrowNotWellFormed("character reference to a character not allowed in XML");
        }

        EnsureChars(2);
        _charsLength += new Rune(value).EncodeToUtf16(_work.Chars.AsSpan(_charsLength));
        _lastWasCr = false;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadReference(ReadOnlySpan<byte> name)
    {
        if (XmlChars.IsName(name))
        {
            // RFC 6120 §11.1: only the predefined entities may be referenced.
            ThrowRestricted("entity references other than the predefined ones are not allowed");
        }

        ThrowNotWellFormed("invalid entity reference");
    }

    /// <summary>After '&lt;!': a CDATA section, or a comment or DTD (restricted).</summary>
    private void OnBang(ReadOnlySpan<byte> span, ref int pos)
    {
        if (span[pos] != '[')
        {
            ThrowRestricted(span[pos] == '-' ? "comments are not allowed" : "DTDs are not allowed");
        }

        if (AtTopLevel)
        {
            ThrowNotWellFormed("character data is not allowed outside a stanza");
        }

        pos++;
        _cdataMatched = 0;
        _state = State.CdataOpen;
    }

    private void OnCdataOpen(ReadOnlySpan<byte> span, ref int pos)
    {
        while (pos < span.Length && _cdataMatched < CdataOpening.Length)
        {
            if (span[pos] != CdataOpening[_cdataMatched])
            {
                ThrowNotWellFormed("invalid markup");
            }

            pos++;
            _cdataMatched++;
        }

        if (_cdataMatched == CdataOpening.Length)
        {
            _cdataStart = _charsLength;
            _state = State.Cdata;
        }
    }

    /// <summary>Inside &lt;![CDATA[ … ]]&gt;: raw character data, appended to the current text run.</summary>
    private void OnCdata(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOf((byte)'>');
        AppendUtf8(i < 0 ? rest : rest[..i], attribute: false);
        if (i < 0)
        {
            pos = span.Length;
            return;
        }

        pos += i + 1;
        if (_utf8PendingLength == 0 && _charsLength - _cdataStart >= 2 && _work.Chars[_charsLength - 1] == ']' && _work.Chars[_charsLength - 2] == ']')
        {
            _charsLength -= 2;
            _state = State.Content;
            return;
        }

        AppendUtf8(">"u8, attribute: false);
    }

    /// <summary>After '&lt;?' at the start of a stream, up to '&gt;'.</summary>
    private void OnDeclaration(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOf((byte)'>');
        AppendScratch(i < 0 ? rest : rest[..i]);
        if (i < 0)
        {
            pos = span.Length;
            return;
        }

        pos += i + 1;
        CheckDeclaration(_work.Scratch.AsSpan(0, _scratchLength));
        _scratchLength = 0;
        _state = State.Content;
        EndTopLevelToken();
    }

    /// <summary>
    /// XML §2.8 XMLDecl, between '&lt;?' and '&gt;': <c>xml version='1.x' [encoding='…'] [standalone='…']?</c>.
    /// RFC 6120 §11.6: the encoding must be UTF-8.
    /// </summary>
    private static void CheckDeclaration(ReadOnlySpan<byte> text)
    {
        if (!text.StartsWith("xml"u8) || (text.Length > 3 && text[3] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'?')))
        {
            ThrowRestricted("processing instructions are not allowed");
        }

        if (text[^1] != '?')
        {
            ThrowNotWellFormed("invalid XML declaration");
        }

        var rest = text[3..^1];
        var index = 0;
        while (true)
        {
            var trimmed = rest.TrimStart(" \t\r\n"u8);
            if (trimmed.IsEmpty)
            {
                break;
            }

            if (trimmed.Length == rest.Length)
            {
                ThrowNotWellFormed("invalid XML declaration");
            }

            var eq = trimmed.IndexOf((byte)'=');
            if (eq < 0)
            {
                ThrowNotWellFormed("invalid XML declaration");
            }

            var name = trimmed[..eq].TrimEnd(" \t\r\n"u8);
            var afterEq = trimmed[(eq + 1)..].TrimStart(" \t\r\n"u8);
            if (afterEq.IsEmpty || afterEq[0] is not ((byte)'"' or (byte)'\''))
            {
                ThrowNotWellFormed("invalid XML declaration");
            }

            var close = afterEq[1..].IndexOf(afterEq[0]);
            if (close < 0)
            {
                ThrowNotWellFormed("invalid XML declaration");
            }

            var value = afterEq.Slice(1, close);
            rest = afterEq[(close + 2)..];
            if (index == 0 && name.SequenceEqual("version"u8))
            {
                if (value.Length < 3 || !value.StartsWith("1."u8) || value[2..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                {
                    ThrowNotWellFormed("invalid XML version");
                }

                index = 1;
            }
            else if (index == 1 && name.SequenceEqual("encoding"u8))
            {
                if (!Ascii.EqualsIgnoreCase(value, "UTF-8"u8))
                {
                    ThrowError(StreamError.UnsupportedEncoding, "only UTF-8 is supported");
                }

                index = 2;
            }
            else if (index is 1 or 2 && name.SequenceEqual("standalone"u8) && (value.SequenceEqual("yes"u8) || value.SequenceEqual("no"u8)))
            {
                index = 3;
            }
            else
            {
                ThrowNotWellFormed("invalid XML declaration");
            }
        }

        if (index == 0)
        {
            ThrowNotWellFormed("XML declaration without a version");
        }
    }
}
