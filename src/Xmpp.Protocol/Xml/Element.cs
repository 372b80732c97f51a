using System.Text;

namespace Xmpp.Protocol.Xml;

/// <summary>
/// An XML element with its namespace resolved (prefixes are a serialization detail). Stanzas,
/// stream headers and payloads are all elements. Not thread-safe: an element handed to another
/// component belongs to it; clone before changing one that others may still read.
/// </summary>
public sealed class Element : Node
{
    private List<XmlAttribute>? _attributes;
    private List<Node>? _nodes;

    public Element(string name, string ns = Namespaces.Client)
    {
        Name = name;
        Namespace = ns;
    }

    public string Name { get; }

    public string Namespace { get; }

    public IReadOnlyList<XmlAttribute> Attributes => (IReadOnlyList<XmlAttribute>?)_attributes ?? [];

    /// <summary>Child elements and text, in document order.</summary>
    public IReadOnlyList<Node> Nodes => (IReadOnlyList<Node>?)_nodes ?? [];

    // Stanza attributes (RFC 6120 §8.1) are read on every routing decision.
    public string? To { get => GetAttribute("to"); set => SetAttribute("to", value); }

    public string? From { get => GetAttribute("from"); set => SetAttribute("from", value); }

    public string? Id { get => GetAttribute("id"); set => SetAttribute("id", value); }

    public string? Type { get => GetAttribute("type"); set => SetAttribute("type", value); }

    public string? Lang { get => GetAttribute("lang", Namespaces.Xml); set => SetAttribute("lang", value, Namespaces.Xml); }

    public bool Is(string name, string ns) => Name == name && Namespace == ns;

    public string? GetAttribute(string name, string ns = "")
    {
        if (_attributes is null)
        {
            return null;
        }

        foreach (var attribute in _attributes)
        {
            if (attribute.Name == name && attribute.Namespace == ns)
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>Sets, replaces or (with a null value) removes an attribute.</summary>
    public Element SetAttribute(string name, string? value, string ns = "")
    {
        _attributes ??= [];
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (_attributes[i].Name == name && _attributes[i].Namespace == ns)
            {
                if (value is null)
                {
                    _attributes.RemoveAt(i);
                }
                else
                {
                    _attributes[i] = new XmlAttribute(name, ns, value);
                }

                return this;
            }
        }

        if (value is not null)
        {
            _attributes.Add(new XmlAttribute(name, ns, value));
        }

        return this;
    }

    /// <summary>Appends an attribute without checking for duplicates: for the parser, which has checked.</summary>
    internal void AppendAttribute(XmlAttribute attribute) => (_attributes ??= []).Add(attribute);

    public Element Add(Node node)
    {
        (_nodes ??= []).Add(node);
        return this;
    }

    public Element Add(IEnumerable<Node> nodes)
    {
        foreach (var node in nodes)
        {
            Add(node);
        }

        return this;
    }

    /// <summary>Appends a child element and returns the child, for building nested payloads.</summary>
    public Element AddChild(string name, string ns)
    {
        var child = new Element(name, ns);
        Add(child);
        return child;
    }

    /// <summary>Appends a child element carrying only text, and returns this element.</summary>
    public Element AddTextChild(string name, string ns, string text)
    {
        AddChild(name, ns).Add(new TextNode(text));
        return this;
    }

    public Element AddText(string text) => Add(new TextNode(text));

    public bool Remove(Node node) => _nodes?.Remove(node) ?? false;

    public int RemoveAll(Predicate<Element> match) =>
        _nodes?.RemoveAll(n => n is Element e && match(e)) ?? 0;

    public void ClearNodes() => _nodes?.Clear();

    public IEnumerable<Element> Elements()
    {
        if (_nodes is null)
        {
            yield break;
        }

        foreach (var node in _nodes)
        {
            if (node is Element element)
            {
                yield return element;
            }
        }
    }

    public IEnumerable<Element> Elements(string name, string ns) => Elements().Where(e => e.Name == name && e.Namespace == ns);

    public Element? Child(string name, string ns)
    {
        if (_nodes is null)
        {
            return null;
        }

        foreach (var node in _nodes)
        {
            if (node is Element element && element.Name == name && element.Namespace == ns)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>The first child element, whatever its name: the payload of an IQ.</summary>
    public Element? FirstElement() => Elements().FirstOrDefault();

    /// <summary>The concatenated character data of this element's own text children.</summary>
    public string Text
    {
        get
        {
            if (_nodes is null)
            {
                return string.Empty;
            }

            if (_nodes.Count == 1 && _nodes[0] is TextNode single)
            {
                return single.Value;
            }

            var builder = new StringBuilder();
            foreach (var node in _nodes)
            {
                if (node is TextNode text)
                {
                    builder.Append(text.Value);
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>The text of the named child, or null when there is no such child.</summary>
    public string? ChildText(string name, string ns) => Child(name, ns)?.Text;

    public override Element Clone()
    {
        var copy = new Element(Name, Namespace);
        if (_attributes is not null)
        {
            copy._attributes = [.. _attributes];
        }

        if (_nodes is not null)
        {
            copy._nodes = new List<Node>(_nodes.Count);
            foreach (var node in _nodes)
            {
                copy._nodes.Add(node.Clone());
            }
        }

        return copy;
    }

    /// <summary>A shallow copy: same attributes, no children. For replies that echo a stanza's envelope.</summary>
    public Element CloneWithoutNodes()
    {
        var copy = new Element(Name, Namespace);
        if (_attributes is not null)
        {
            copy._attributes = [.. _attributes];
        }

        return copy;
    }

    /// <summary>The element as XML, for logs and test messages (not the wire path).</summary>
    public override string ToString() => XmlText.Serialize(this);
}
