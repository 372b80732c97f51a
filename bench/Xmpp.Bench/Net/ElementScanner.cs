namespace Xmpp.Bench.Net;

/// <summary>What <see cref="ElementScanner.Next"/> found.</summary>
internal enum FrameKind
{
    /// <summary>No complete token yet: read more bytes.</summary>
    None,

    /// <summary>The opening tag of the stream root.</summary>
    StreamHeader,

    /// <summary>A complete child of the stream root (a stanza or a nonza).</summary>
    Element,

    /// <summary>The closing tag of the stream root (or the connection ended).</summary>
    StreamEnd,
}

/// <summary>
/// Finds the boundaries of top-level elements in an XMPP stream without parsing them: it tracks
/// tags, quotes and depth only. A load generator needs no more, and stays cheap enough that the
/// server under test, not the client, is what the numbers measure. Positions are indexes into the
/// caller's buffer; <see cref="Shift"/> keeps them valid when the caller compacts it.
/// </summary>
internal struct ElementScanner
{
    private State _state;
    private byte _quote;
    private bool _slash;
    private int _depth;
    private int _tagStart;
    private int _elementStart;

    private enum State : byte
    {
        Text,
        Lt,
        StartTag,
        Quoted,
        EndTag,
        Other,
    }

    /// <summary>Forgets the stream: the next bytes start a new one (after SASL success).</summary>
    public void Reset() => this = default;

    /// <summary>Moves stored positions after the caller dropped <paramref name="count"/> leading bytes.</summary>
    public void Shift(int count)
    {
        _tagStart -= count;
        _elementStart -= count;
    }

    /// <summary>
    /// Scans from <paramref name="pos"/> to the end of <paramref name="buffer"/>; stops after the
    /// first complete token and returns it with its start (its end is the new <paramref name="pos"/>).
    /// </summary>
    public FrameKind Next(ReadOnlySpan<byte> buffer, ref int pos, out int start)
    {
        start = 0;
        var i = pos;
        while (i < buffer.Length)
        {
            var b = buffer[i];
            switch (_state)
            {
                case State.Text:
                    var lt = buffer[i..].IndexOf((byte)'<');
                    if (lt < 0)
                    {
                        i = buffer.Length;
                        continue;
                    }

                    i += lt;
                    _tagStart = i;
                    _state = State.Lt;
                    break;
                case State.Lt:
                    _state = b switch
                    {
                        (byte)'/' => State.EndTag,
                        (byte)'?' or (byte)'!' => State.Other,
                        _ => State.StartTag,
                    };
                    _slash = false;
                    break;
                case State.Quoted:
                    var close = buffer[i..].IndexOf(_quote);
                    if (close < 0)
                    {
                        i = buffer.Length;
                        continue;
                    }

                    i += close;
                    _state = State.StartTag;
                    _slash = false;
                    break;
                case State.StartTag:
                    if (b is (byte)'"' or (byte)'\'')
                    {
                        _quote = b;
                        _state = State.Quoted;
                    }
                    else if (b == '/')
                    {
                        _slash = true;
                    }
                    else if (b == '>')
                    {
                        _state = State.Text;
                        pos = i + 1;
                        if (_slash)
                        {
                            if (_depth == 1)
                            {
                                start = _tagStart;
                                return FrameKind.Element;
                            }

                            if (_depth == 0)
                            {
                                start = _tagStart;
                                return FrameKind.StreamEnd;
                            }

                            break;
                        }

                        _depth++;
                        if (_depth == 1)
                        {
                            start = _tagStart;
                            return FrameKind.StreamHeader;
                        }

                        if (_depth == 2)
                        {
                            _elementStart = _tagStart;
                        }
                    }
                    else
                    {
                        _slash = false;
                    }

                    break;
                case State.EndTag:
                    if (b == '>')
                    {
                        _state = State.Text;
                        _depth--;
                        pos = i + 1;
                        if (_depth == 1)
                        {
                            start = _elementStart;
                            return FrameKind.Element;
                        }

                        if (_depth <= 0)
                        {
                            start = _tagStart;
                            return FrameKind.StreamEnd;
                        }
                    }

                    break;
                case State.Other:
                    if (b == '>')
                    {
                        _state = State.Text;
                    }

                    break;
            }

            i++;
        }

        pos = i;
        return FrameKind.None;
    }

    /// <summary>The earliest position still needed: the start of an unfinished element or tag.</summary>
    public readonly int PendingStart(int pos) =>
        _depth >= 2 ? _elementStart : _state == State.Text ? pos : _tagStart;
}
