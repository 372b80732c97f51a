using System.Runtime.CompilerServices;

namespace Xmpp.Protocol.Xml;

// Tags: names, attributes, start and end tags.
public sealed partial class XmlStreamParser
{
    // Bytes of a name or declaration split across reads (bounded by MaxStanzaBytes).
    // The arrays themselves are in the workspace (XmlStreamParser.Workspace.cs).
    private int _scratchLength;

    // The start tag being read.
    private string? _tagPrefix;
    private string _tagLocal = string.Empty;
    private int _tagQNameLength;
    private int _attributeCount;
    private string? _attributePrefix;
    private string _attributeLocal = string.Empty;
    private byte _quote;
    private bool _sawSpace;

    private void OnTagOpen(ReadOnlySpan<byte> span, ref int pos)
    {
        var b = span[pos];
        var atStreamStart = _atStreamStart;
        _atStreamStart = false;
        if (b != '!' && _charsLength > 0)
        {
            FlushText();
        }

        switch (b)
        {
            case (byte)'/':
                if (_depth == 0)
                {
                    ThrowNotWellFormed("end tag without a start tag");
                }

                pos++;
                _scratchLength = 0;
                _state = State.EndTagName;
                break;
            case (byte)'?':
                if (!atStreamStart)
                {
                    // The XML declaration is allowed at the start of the stream only (RFC 6120 §11.1, §11.5).
                    ThrowRestricted("processing instructions are not allowed");
                }

                pos++;
                _scratchLength = 0;
                _state = State.Declaration;
                break;
            case (byte)'!':
                pos++;
                _state = State.Bang;
                break;
            default:
                if (!_fragments && _depth == 0 && _streamOpened)
                {
                    ThrowNotWellFormed("content after the end of the stream");
                }

                _scratchLength = 0;
                _state = State.StartTagName;
                break;
        }
    }

    /// <summary>
    /// Reads name bytes up to the first byte that cannot continue a name. Returns false when the
    /// read ended first (the bytes wait in the scratch buffer); otherwise <paramref name="name"/>
    /// is the whole name, in the input when it was not split.
    /// </summary>
    private bool ReadName(ReadOnlySpan<byte> span, ref int pos, out ReadOnlySpan<byte> name)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAnyExcept(XmlChars.NameBytes);
        if (i < 0)
        {
            AppendScratch(rest);
            pos = span.Length;
            name = default;
            return false;
        }

        pos += i;
        if (_scratchLength == 0)
        {
            name = rest[..i];
        }
        else
        {
            AppendScratch(rest[..i]);
            name = _work.Scratch.AsSpan(0, _scratchLength);
        }

        return true;
    }

    private void AppendScratch(ReadOnlySpan<byte> bytes)
    {
        if (_work.Scratch.Length - _scratchLength < bytes.Length)
        {
            Array.Resize(ref _work.Scratch, Math.Max(_work.Scratch.Length * 2, _scratchLength + bytes.Length));
        }

        bytes.CopyTo(_work.Scratch.AsSpan(_scratchLength));
        _scratchLength += bytes.Length;
    }

    /// <summary>Splits a QName into interned prefix (null when none) and local name (Namespaces in XML §4).</summary>
    private void SplitQName(ReadOnlySpan<byte> name, out string? prefix, out string local)
    {
        var colon = name.IndexOf((byte)':');
        if (colon < 0)
        {
            if (!XmlChars.IsNcName(name))
            {
                ThrowNotWellFormed("invalid name");
            }

            prefix = null;
            local = _names.Get(name);
            return;
        }

        var prefixBytes = name[..colon];
        var localBytes = name[(colon + 1)..];
        if (!XmlChars.IsNcName(prefixBytes) || localBytes.IndexOf((byte)':') >= 0 || !XmlChars.IsNcName(localBytes))
        {
            ThrowNotWellFormed("invalid name");
        }

        prefix = _names.Get(prefixBytes);
        local = _names.Get(localBytes);
    }

    private void OnStartTagName(ReadOnlySpan<byte> span, ref int pos)
    {
        if (!ReadName(span, ref pos, out var name))
        {
            return;
        }

        SplitQName(name, out _tagPrefix, out _tagLocal);

        // Keep the raw QName for matching the end tag (XML §3.1: the names must be identical).
        if (_qnames.Length - _qnamesLength < name.Length)
        {
            Array.Resize(ref _qnames, Math.Max(_qnames.Length * 2, _qnamesLength + name.Length));
        }

        name.CopyTo(_qnames.AsSpan(_qnamesLength));
        _tagQNameLength = name.Length;
        _scratchLength = 0;
        _attributeCount = 0;
        _sawSpace = false;
        _state = State.TagSpace;
    }

    /// <summary>Inside a start tag, after the name or an attribute: white space, then an attribute, '/' or '&gt;'.</summary>
    private void OnTagSpace(ReadOnlySpan<byte> span, ref int pos, List<StreamEvent> events)
    {
        var start = pos;
        var next = SkipWhitespace(span, ref pos);
        if (pos != start)
        {
            _sawSpace = true;
        }

        switch (next)
        {
            case < 0:
                return;
            case (byte)'>':
                pos++;
                CompleteStartTag(empty: false, events);
                break;
            case (byte)'/':
                pos++;
                _state = State.EmptyTagEnd;
                break;
            default:
                if (!_sawSpace)
                {
                    ThrowNotWellFormed("attributes must be separated by white space");
                }

                _scratchLength = 0;
                _state = State.AttributeName;
                break;
        }
    }

    private void OnAttributeName(ReadOnlySpan<byte> span, ref int pos)
    {
        if (!ReadName(span, ref pos, out var name))
        {
            return;
        }

        SplitQName(name, out _attributePrefix, out _attributeLocal);
        _scratchLength = 0;
        _state = State.AfterAttributeName;
    }

    /// <summary>
    /// Skips white space and returns the byte after it, with <paramref name="pos"/> on that byte;
    /// -1 when the read ends first (the state stays, and the next read carries on skipping).
    /// </summary>
    private static int SkipWhitespace(ReadOnlySpan<byte> span, ref int pos)
    {
        var i = span[pos..].IndexOfAnyExcept(XmlChars.Whitespace);
        if (i < 0)
        {
            pos = span.Length;
            return -1;
        }

        pos += i;
        return span[pos];
    }

    private void OnAfterAttributeName(ReadOnlySpan<byte> span, ref int pos)
    {
        var next = SkipWhitespace(span, ref pos);
        if (next < 0)
        {
            return;
        }

        if (next != '=')
        {
            ThrowNotWellFormed("expected '=' after an attribute name");
        }

        pos++;
        _state = State.BeforeAttributeValue;
    }

    private void OnBeforeAttributeValue(ReadOnlySpan<byte> span, ref int pos)
    {
        var next = SkipWhitespace(span, ref pos);
        if (next < 0)
        {
            return;
        }

        if (next is not ('"' or '\''))
        {
            ThrowNotWellFormed("attribute values must be quoted");
        }

        _quote = (byte)next;
        pos++;
        _charsLength = 0;
        _lastWasCr = false;
        _state = State.AttributeValue;
    }

    private void OnAttributeValue(ReadOnlySpan<byte> span, ref int pos)
    {
        var rest = span[pos..];
        var i = rest.IndexOfAny(_quote == '"' ? XmlChars.DoubleQuotedDelimiters : XmlChars.SingleQuotedDelimiters);
        var run = i < 0 ? rest : rest[..i];
        if (!run.IsEmpty)
        {
            AppendUtf8(run, attribute: true);
        }

        if (i < 0)
        {
            pos = span.Length;
            return;
        }

        pos += i + 1;
        switch (rest[i])
        {
            case (byte)'&':
                _entityLength = 0;
                _state = State.AttributeEntity;
                break;
            case (byte)'<':
                ThrowNotWellFormed("'<' is not allowed in attribute values");
                break;
            default:
                if (_utf8PendingLength > 0)
                {
                    ThrowNotWellFormed("invalid UTF-8");
                }

                AddAttribute();
                _sawSpace = false;
                _state = State.TagSpace;
                break;
        }
    }

    private void AddAttribute()
    {
        if (_attributeCount == _limits.MaxAttributes)
        {
            ThrowPolicy("too many attributes");
        }

        var chars = _work.Chars.AsSpan(0, _charsLength);
        var isDeclaration = _attributePrefix is null ? _attributeLocal == "xmlns" : _attributePrefix == "xmlns";

        // Namespace names repeat on every stanza: intern them; other values only when common.
        var value = isDeclaration ? _names.Get(chars, remember: true) : NameTable.GetCommonOrNew(chars);
        _charsLength = 0;
        if (_attributeCount == _work.Attributes.Length)
        {
            Array.Resize(ref _work.Attributes, _work.Attributes.Length * 2);
        }

        _work.Attributes[_attributeCount++] = new PendingAttribute(_attributePrefix, _attributeLocal, value, isDeclaration);
    }

    private void OnEmptyTagEnd(ReadOnlySpan<byte> span, ref int pos, List<StreamEvent> events)
    {
        if (span[pos] != '>')
        {
            ThrowNotWellFormed("expected '>' after '/'");
        }

        pos++;
        CompleteStartTag(empty: true, events);
    }

    private void OnEndTagName(ReadOnlySpan<byte> span, ref int pos)
    {
        if (!ReadName(span, ref pos, out var name))
        {
            return;
        }

        ref readonly var frame = ref _frames[_depth - 1];
        if (!name.SequenceEqual(_qnames.AsSpan(frame.QNameStart, frame.QNameLength)))
        {
            ThrowMismatchedEndTag();
        }

        _scratchLength = 0;
        _state = State.AfterEndTagName;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMismatchedEndTag() => ThrowNotWellFormed("end tag does not match the start tag");

    private void OnAfterEndTagName(ReadOnlySpan<byte> span, ref int pos, List<StreamEvent> events)
    {
        var next = SkipWhitespace(span, ref pos);
        if (next < 0)
        {
            return;
        }

        if (next != '>')
        {
            ThrowNotWellFormed("expected '>' in an end tag");
        }

        pos++;
        CompleteEndTag(events);
    }

    private readonly record struct PendingAttribute(string? Prefix, string Local, string Value, bool IsDeclaration);
}
