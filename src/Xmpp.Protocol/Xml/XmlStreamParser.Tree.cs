using System.Runtime.CompilerServices;

namespace Xmpp.Protocol.Xml;

// Namespace scopes and the element stack (no recursion: depth is bounded by MaxDepth, not the call stack).
public sealed partial class XmlStreamParser
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    // Open elements; in stream mode [0] is the stream root.
    private Frame[] _frames = new Frame[4];
    private int _depth;

    // Raw QNames of the open elements, back to back.
    private byte[] _qnames = new byte[128];
    private int _qnamesLength;

    // In-scope namespace bindings, innermost last; "" is the default namespace.
    private string[] _bindingPrefixes = new string[8];
    private string[] _bindingUris = new string[8];
    private int _bindingCount;

    private HashSet<(string Local, string Namespace)>? _attributeSet;

    private void ResetBindings()
    {
        _bindingCount = 0;
        Bind("xml", Namespaces.Xml);
        if (_fragments)
        {
            Bind(string.Empty, _fragmentNamespace);
        }
    }

    private void Bind(string prefix, string uri)
    {
        if (_bindingCount == _bindingPrefixes.Length)
        {
            Array.Resize(ref _bindingPrefixes, _bindingCount * 2);
            Array.Resize(ref _bindingUris, _bindingCount * 2);
        }

        _bindingPrefixes[_bindingCount] = prefix;
        _bindingUris[_bindingCount] = uri;
        _bindingCount++;
    }

    private string? Lookup(string prefix)
    {
        for (var i = _bindingCount - 1; i >= 0; i--)
        {
            if (_bindingPrefixes[i] == prefix)
            {
                return _bindingUris[i];
            }
        }

        return null;
    }

    private string Resolve(string prefix) =>
        Lookup(prefix) ?? throw new StreamErrorException(StreamError.BadNamespacePrefix, $"unbound namespace prefix '{prefix}'");

    private void CompleteStartTag(bool empty, List<StreamEvent> events)
    {
        var scope = _bindingCount;
        var attributes = _work.Attributes.AsSpan(0, _attributeCount);

        // Namespaces in XML §3: declarations first, they apply to the element's own name and attributes.
        foreach (ref readonly var attribute in attributes)
        {
            if (!attribute.IsDeclaration)
            {
                continue;
            }

            var prefix = attribute.Prefix is null ? string.Empty : attribute.Local;
            var uri = attribute.Value;
            if (prefix == "xmlns" || uri == XmlnsNamespace || (prefix == "xml") != (uri == Namespaces.Xml)
                || (prefix.Length > 0 && uri.Length == 0))
            {
                ThrowNotWellFormed("invalid namespace declaration");
            }

            Bind(prefix, uri);
        }

        var ns = _tagPrefix is null ? Lookup(string.Empty) ?? string.Empty : Resolve(_tagPrefix);
        var element = new Element(_tagLocal, ns);
        if (attributes.Length > 0)
        {
            AddAttributes(element, attributes);
        }

        _attributeCount = 0;
        _state = State.Content;

        if (!_fragments && _depth == 0)
        {
            OpenStream(element, empty, scope, events);
            return;
        }

        var level = _depth - TopDepth + 1;
        if (level > _limits.MaxDepth)
        {
            ThrowPolicy("elements are nested too deeply");
        }

        if (level > 1)
        {
            _frames[_depth - 1].Element!.Add(element);
        }

        if (!empty)
        {
            Push(element, scope);
            return;
        }

        _bindingCount = scope;
        if (level == 1)
        {
            events.Add(new StanzaReceived(element));
            EndTopLevelToken();
        }
    }

    private void AddAttributes(Element element, ReadOnlySpan<PendingAttribute> attributes)
    {
        // XML §3.1: an attribute name appears once per tag; Namespaces in XML §6.3: and once per
        // (namespace, local name). Small tags compare pairwise, big ones use a set.
        var useSet = attributes.Length > 8;
        if (useSet)
        {
            (_attributeSet ??= []).Clear();
        }

        for (var i = 0; i < attributes.Length; i++)
        {
            ref readonly var attribute = ref attributes[i];
            if (attribute.IsDeclaration)
            {
                if (!useSet)
                {
                    for (var j = 0; j < i; j++)
                    {
                        if (attributes[j].IsDeclaration && attributes[j].Prefix == attribute.Prefix && attributes[j].Local == attribute.Local)
                        {
                            ThrowDuplicateAttribute();
                        }
                    }
                }
                else if (!_attributeSet!.Add((attribute.Prefix is null ? string.Empty : attribute.Local, XmlnsNamespace)))
                {
                    ThrowDuplicateAttribute();
                }

                continue;
            }

            var ns = attribute.Prefix is null ? string.Empty : Resolve(attribute.Prefix);
            if (useSet)
            {
                if (!_attributeSet!.Add((attribute.Local, ns)))
                {
                    ThrowDuplicateAttribute();
                }
            }
            else
            {
                foreach (var existing in element.Attributes)
                {
                    if (existing.Name == attribute.Local && existing.Namespace == ns)
                    {
                        ThrowDuplicateAttribute();
                    }
                }
            }

            element.AppendAttribute(new XmlAttribute(attribute.Local, ns, attribute.Value));
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDuplicateAttribute() => ThrowNotWellFormed("duplicate attribute");

    /// <summary>The root of a stream (RFC 6120 §4.7): &lt;stream&gt; in the streams namespace.</summary>
    private void OpenStream(Element header, bool empty, int scope, List<StreamEvent> events)
    {
        if (_streamOpened)
        {
            ThrowNotWellFormed("content after the end of the stream");
        }

        if (header.Name != "stream" || header.Namespace != Namespaces.Stream)
        {
            ThrowError(StreamError.InvalidNamespace, "the stream root must be <stream> in " + Namespaces.Stream);
        }

        _streamOpened = true;
        events.Add(new StreamOpened(header) { DefaultNamespace = Lookup(string.Empty) ?? string.Empty });
        if (empty)
        {
            _bindingCount = scope;
            events.Add(StreamClosed.Instance);
        }
        else
        {
            // The root's frame needs no element (stanzas are not added to it): a long-lived
            // stream should not keep its header alive.
            Push(null, scope);
        }

        EndTopLevelToken();
    }

    private void Push(Element? element, int scope)
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _depth * 2);
        }

        _frames[_depth++] = new Frame(element, scope, _qnamesLength, _tagQNameLength);
        _qnamesLength += _tagQNameLength;
    }

    private void CompleteEndTag(List<StreamEvent> events)
    {
        var frame = _frames[--_depth];
        _frames[_depth] = default;
        _bindingCount = frame.Scope;
        _qnamesLength = frame.QNameStart;
        _state = State.Content;
        if (_depth > TopDepth)
        {
            return;
        }

        if (_depth == 0 && !_fragments)
        {
            events.Add(StreamClosed.Instance);
        }
        else
        {
            events.Add(new StanzaReceived(frame.Element!));
        }

        EndTopLevelToken();
    }

    /// <summary>An open element; <see cref="Element"/> is null for the stream root.</summary>
    private readonly record struct Frame(Element? Element, int Scope, int QNameStart, int QNameLength);
}
