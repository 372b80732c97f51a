using System.Runtime.CompilerServices;

namespace Xmpp.Protocol.Xml;

/// <summary>
/// A push parser for an XMPP stream (RFC 6120 §4 and §11): UTF-8 bytes in, in whatever pieces
/// the network delivers them; stream-level events out. It is a resumable state machine: a read
/// may end anywhere (inside a name, an attribute value, a UTF-8 sequence, an entity reference) and
/// the next read continues from there. Every byte passed in is consumed and looked at once; only
/// the unfinished part of the current token is kept (name bytes, or the decoded characters of a
/// value or text run, plus at most three bytes of a split UTF-8 sequence).
/// <para>
/// Restricted XML (§11.1): the XML declaration is accepted at the start of a stream only; other
/// processing instructions, comments, DTDs and entity references other than the five predefined
/// ones are <c>restricted-xml</c>. CDATA sections are not restricted by RFC 6120 and are read as
/// character data. Anything not well-formed or not namespace-well-formed is <c>not-well-formed</c>,
/// except an unbound prefix (<c>bad-namespace-prefix</c>, §4.9.3.2) and a root element other than
/// <c>&lt;stream&gt;</c> in the streams namespace (<c>invalid-namespace</c>, §4.9.3.10). Exceeding
/// <see cref="XmlParserLimits"/> is <c>policy-violation</c>.
/// </para>
/// <para>
/// Not thread-safe: one parser per connection, fed by its read loop. After it has thrown, every
/// call throws the same stream error until <see cref="Reset"/>.
/// </para>
/// </summary>
public sealed partial class XmlStreamParser
{
    private const int ShrinkAbove = 16384;

    private readonly XmlParserLimits _limits;
    private readonly bool _fragments;
    private readonly string _fragmentNamespace;
    private readonly NameTable _names = new();

    private State _state;
    private StreamError? _failure;

    // The current top-level token (stream header, stanza, declaration, closing tag) counts against
    // MaxStanzaBytes from its '<' until it is complete.
    private bool _counting;
    private int _budget;
    private bool _yield;

    private bool _atStreamStart;
    private bool _streamOpened;
    private int _bomMatched;

    /// <summary>A parser for a stream with a <c>&lt;stream:stream&gt;</c> root (TCP, RFC 6120).</summary>
    public XmlStreamParser(XmlParserLimits? limits = null)
        : this(limits, fragments: false, Namespaces.Client)
    {
    }

    private XmlStreamParser(XmlParserLimits? limits, bool fragments, string defaultNamespace)
    {
        _limits = limits ?? XmlParserLimits.Default;
        if (_limits.MaxStanzaBytes < 1 || _limits.MaxDepth < 1 || _limits.MaxAttributes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), "limits must be positive");
        }

        _fragments = fragments;
        _fragmentNamespace = defaultNamespace;
        Reset();
    }

    /// <summary>
    /// A parser for a sequence of top-level elements without a stream root, as on the WebSocket
    /// binding (RFC 7395 §3.3: <c>&lt;open/&gt;</c>, stanzas and <c>&lt;close/&gt;</c> each a
    /// complete element): every complete top-level element is a <see cref="StanzaReceived"/>.
    /// Unprefixed elements without an <c>xmlns</c> are in <paramref name="defaultNamespace"/>.
    /// </summary>
    public static XmlStreamParser ForFragments(XmlParserLimits? limits = null, string defaultNamespace = Namespaces.Client)
    {
        ArgumentNullException.ThrowIfNull(defaultNamespace);
        return new XmlStreamParser(limits, fragments: true, defaultNamespace);
    }

    /// <summary>Whether this parser reads top-level elements without a stream root.</summary>
    public bool IsFragmentMode => _fragments;

    /// <summary>
    /// True when no part of an element or tag is buffered: between stanzas (after the stream header
    /// or before it). A server checks this after <c>&lt;starttls/&gt;</c> (nothing may follow it
    /// before the TLS handshake, RFC 6120 §5.4.3.3) and before a stream restart.
    /// </summary>
    public bool IsAtStanzaBoundary =>
        _failure is null && !_counting && _state is State.Content or State.Start && AtTopLevel;

    /// <summary>Whether the stream header has been read (stream mode) and the stream not yet closed.</summary>
    public bool IsStreamOpen => _streamOpened && _depth > 0;

    // Stanzas are the children of the stream root (depth 1) or, in fragment mode, top-level elements.
    // At or above this depth (before the root, inside it between stanzas, after it) only white
    // space and tags may appear.
    private int TopDepth => _fragments ? 0 : 1;

    private bool AtTopLevel => _depth <= TopDepth;

    /// <summary>
    /// Parses all of <paramref name="bytes"/> and appends each complete stream-level event to
    /// <paramref name="events"/>. Throws <see cref="StreamErrorException"/> on bad input; events of
    /// elements completed before the bad byte are still appended.
    /// </summary>
    public void Parse(ReadOnlySpan<byte> bytes, List<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_failure is not null)
        {
            throw new StreamErrorException(_failure);
        }

        BorrowWorkspace();
        try
        {
            ParseCore(bytes, events);
        }
        catch (StreamErrorException e)
        {
            _failure = e.Error;
            throw;
        }

        ReturnWorkspaceIfIdle();
    }

    /// <summary>Parses every segment of a pipe buffer, as <see cref="Parse(ReadOnlySpan{byte}, List{StreamEvent})"/>.</summary>
    public void Parse(in ReadOnlySequence<byte> bytes, List<StreamEvent> events)
    {
        if (bytes.IsSingleSegment)
        {
            Parse(bytes.FirstSpan, events);
            return;
        }

        foreach (var segment in bytes)
        {
            Parse(segment.Span, events);
        }
    }

    /// <summary>
    /// Forgets all state, so that the next bytes start a new stream (after STARTTLS and SASL
    /// success the stream restarts, RFC 6120 §4.3.3); also clears a failure.
    /// </summary>
    public void Reset()
    {
        _state = State.Start;
        _failure = null;
        _counting = false;
        _budget = 0;
        _yield = false;
        _atStreamStart = true;
        _streamOpened = false;
        _bomMatched = 0;
        _scratchLength = 0;
        _charsLength = 0;
        _utf8PendingLength = 0;
        _lastWasCr = false;
        _entityLength = 0;
        _attributeCount = 0;
        _depth = 0;
        _qnamesLength = 0;
        ResetBindings();
    }

    private void ParseCore(ReadOnlySpan<byte> input, List<StreamEvent> events)
    {
        var pos = 0;
        while (pos < input.Length)
        {
            var window = input[pos..];
            var counting = _counting;
            if (counting)
            {
                if (_budget == 0)
                {
                    ThrowPolicy("stanza is larger than the limit");
                }

                if (window.Length > _budget)
                {
                    // The states never see bytes past the limit, so nothing is buffered beyond it.
                    window = window[.._budget];
                }
            }

            var used = Step(window, events);
            if (counting)
            {
                _budget -= used;
            }

            pos += used;
        }
    }

    /// <summary>Starts counting a top-level token; the caller returns so the window is clamped.</summary>
    private void BeginTopLevelToken()
    {
        _counting = true;
        _budget = _limits.MaxStanzaBytes;
        _yield = true;
    }

    private void EndTopLevelToken()
    {
        _counting = false;
        _yield = true;

        // One big stanza must not leave every idle connection holding big buffers.
        if (_work.Chars.Length > ShrinkAbove)
        {
            _work.Chars = new char[InitialChars];
        }

        if (_work.Scratch.Length > ShrinkAbove)
        {
            _work.Scratch = new byte[InitialScratch];
        }
    }

    /// <summary>Runs the state machine over <paramref name="span"/> until it ends or counting starts or stops.</summary>
    private int Step(ReadOnlySpan<byte> span, List<StreamEvent> events)
    {
        var pos = 0;
        while (pos < span.Length)
        {
            switch (_state)
            {
                case State.Content:
                    OnContent(span, ref pos);
                    break;
                case State.TagOpen:
                    OnTagOpen(span, ref pos);
                    break;
                case State.StartTagName:
                    OnStartTagName(span, ref pos);
                    break;
                case State.TagSpace:
                    OnTagSpace(span, ref pos, events);
                    break;
                case State.AttributeName:
                    OnAttributeName(span, ref pos);
                    break;
                case State.AfterAttributeName:
                    OnAfterAttributeName(span, ref pos);
                    break;
                case State.BeforeAttributeValue:
                    OnBeforeAttributeValue(span, ref pos);
                    break;
                case State.AttributeValue:
                    OnAttributeValue(span, ref pos);
                    break;
                case State.ContentEntity:
                case State.AttributeEntity:
                    OnEntity(span, ref pos);
                    break;
                case State.EmptyTagEnd:
                    OnEmptyTagEnd(span, ref pos, events);
                    break;
                case State.EndTagName:
                    OnEndTagName(span, ref pos);
                    break;
                case State.AfterEndTagName:
                    OnAfterEndTagName(span, ref pos, events);
                    break;
                case State.Bang:
                    OnBang(span, ref pos);
                    break;
                case State.CdataOpen:
                    OnCdataOpen(span, ref pos);
                    break;
                case State.Cdata:
                    OnCdata(span, ref pos);
                    break;
                case State.Declaration:
                    OnDeclaration(span, ref pos);
                    break;
                case State.Start:
                    OnStart(span, ref pos);
                    break;
                default:
                    throw new System.Diagnostics.UnreachableException();
            }

            if (_yield)
            {
                _yield = false;
                return pos;
            }
        }

        return pos;
    }

    /// <summary>The very first bytes of a stream: an optional UTF-8 byte order mark; other encodings are refused.</summary>
    private void OnStart(ReadOnlySpan<byte> span, ref int pos)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var b = span[pos];
        if (_bomMatched == 0 && b is 0xFE or 0xFF or 0x00)
        {
            // A UTF-16 or UTF-32 byte order mark or '<' (RFC 6120 §11.6: UTF-8 only).
            ThrowError(StreamError.UnsupportedEncoding, "only UTF-8 is supported");
        }

        if (b == bom[_bomMatched])
        {
            pos++;
            if (++_bomMatched == bom.Length)
            {
                _state = State.Content;
            }

            return;
        }

        if (_bomMatched > 0)
        {
            ThrowNotWellFormed("invalid UTF-8");
        }

        _state = State.Content;
    }

    private enum State : byte
    {
        Start,
        Content,
        ContentEntity,
        TagOpen,
        Bang,
        CdataOpen,
        Cdata,
        Declaration,
        StartTagName,
        TagSpace,
        AttributeName,
        AfterAttributeName,
        BeforeAttributeValue,
        AttributeValue,
        AttributeEntity,
        EmptyTagEnd,
        EndTagName,
        AfterEndTagName,
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotWellFormed(string text) => throw new StreamErrorException(StreamError.NotWellFormed, text);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRestricted(string text) => throw new StreamErrorException(StreamError.RestrictedXml, text);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPolicy(string text) => throw new StreamErrorException(StreamError.PolicyViolation, text);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowError(string condition, string text) => throw new StreamErrorException(condition, text);
}
