using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Scansion.Scripts;

namespace Xmpp.Scansion.Matching;

/// <summary>
/// Compares a received stanza with the expected one (SCANSION.md "Matching a received stanza
/// against the expected one"). Names and namespaces must be equal; then, per element:
/// <list type="bullet">
/// <item><b>non-strict</b>: each expected attribute is present with an equal value; each expected
/// child element matches some received child, in any order; extra attributes and children are fine.</item>
/// <item><b>strict</b>: additionally no extra attributes, and the child elements match one to one, in order.</item>
/// </list>
/// <c>scansion:strict="true|false"</c> on an expected element decides for that element (and is never
/// compared); otherwise an element is strict when it or any ancestor is in a namespace other than
/// <c>jabber:client</c>. Text is compared only on expected leaf elements whose text is not white
/// space. <c>xml:lang</c> is an ordinary attribute. The expected stanza has its variables
/// substituted already; <c>{scansion:any}</c> and <c>{scansion:capture:NAME}</c> values match any
/// value of a present attribute, the latter recording it.
/// </summary>
public static class StanzaMatcher
{
    public static MatchResult Match(Element expected, Element received)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(received);
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        var difference = MatchElement(expected, received, ancestorOutsideClient: false, captures, "/" + expected.Name);
        return difference is null ? MatchResult.Match(captures) : MatchResult.Mismatch(difference);
    }

    /// <summary>Whether <paramref name="expected"/> is matched strictly, given where it sits.</summary>
    public static bool IsStrict(Element expected, bool ancestorOutsideClient)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return StrictOverride(expected) ?? (ancestorOutsideClient || expected.Namespace != Namespaces.Client);
    }

    // Returns null on a match, else the first difference. Captures are added only on a match.
    private static string? MatchElement(Element expected, Element received, bool ancestorOutsideClient, Dictionary<string, string> captures, string path)
    {
        if (expected.Name != received.Name || expected.Namespace != received.Namespace)
        {
            return $"{path}: expected <{expected.Name} xmlns='{expected.Namespace}'>, received <{received.Name} xmlns='{received.Namespace}'>";
        }

        var strict = IsStrict(expected, ancestorOutsideClient);
        var outsideClient = ancestorOutsideClient || expected.Namespace != Namespaces.Client;
        var found = new Dictionary<string, string>(StringComparer.Ordinal);

        var expectedAttributeCount = 0;
        foreach (var attribute in expected.Attributes)
        {
            if (IsStrictAttribute(attribute))
            {
                continue;
            }

            expectedAttributeCount++;
            var value = received.GetAttribute(attribute.Name, attribute.Namespace);
            var shown = Show(attribute);
            if (value is null)
            {
                return $"{path}: attribute {shown} is missing (expected '{attribute.Value}')";
            }

            if (attribute.Value == ScansionNamespace.AnyValue)
            {
                continue;
            }

            if (CaptureName(attribute.Value) is { } capture)
            {
                found[capture] = value;
                continue;
            }

            if (value != attribute.Value)
            {
                return $"{path}: attribute {shown} is '{value}', expected '{attribute.Value}'";
            }
        }

        if (strict && received.Attributes.Count != expectedAttributeCount)
        {
            var extra = received.Attributes.Where(a => expected.GetAttribute(a.Name, a.Namespace) is null).Select(Show);
            return $"{path}: unexpected attribute(s) {string.Join(", ", extra)} (strict)";
        }

        var expectedChildren = expected.Elements().ToList();
        var receivedChildren = received.Elements().ToList();
        if (expectedChildren.Count == 0)
        {
            var text = expected.Text;
            if (!string.IsNullOrWhiteSpace(text) && received.Text != text)
            {
                return $"{path}: text is '{received.Text}', expected '{text}'";
            }
        }

        if (strict)
        {
            if (expectedChildren.Count != receivedChildren.Count)
            {
                return $"{path}: {receivedChildren.Count} child element(s) received, {expectedChildren.Count} expected (strict)";
            }

            for (var i = 0; i < expectedChildren.Count; i++)
            {
                var difference = MatchElement(expectedChildren[i], receivedChildren[i], outsideClient, found, $"{path}/{expectedChildren[i].Name}[{i + 1}]");
                if (difference is not null)
                {
                    return difference;
                }
            }
        }
        else
        {
            foreach (var child in expectedChildren)
            {
                string? firstDifference = null;
                var matched = false;
                foreach (var candidate in receivedChildren)
                {
                    var attempt = new Dictionary<string, string>(StringComparer.Ordinal);
                    var difference = MatchElement(child, candidate, outsideClient, attempt, $"{path}/{child.Name}");
                    if (difference is null)
                    {
                        foreach (var (name, value) in attempt)
                        {
                            found[name] = value;
                        }

                        matched = true;
                        break;
                    }

                    // Report the nearest miss: a candidate with the same name tells more than the others.
                    if (firstDifference is null && candidate.Name == child.Name && candidate.Namespace == child.Namespace)
                    {
                        firstDifference = difference;
                    }
                }

                if (!matched)
                {
                    return firstDifference is null
                        ? $"{path}: no received child matches expected {XmlText.Serialize(child, expected.Namespace)}"
                        : $"{path}: no received child matches expected {XmlText.Serialize(child, expected.Namespace)}; nearest: {firstDifference}";
                }
            }
        }

        foreach (var (name, value) in found)
        {
            captures[name] = value;
        }

        return null;
    }

    private static bool? StrictOverride(Element expected)
    {
        var value = expected.GetAttribute(ScansionNamespace.StrictAttribute, ScansionNamespace.Uri);
        return value switch
        {
            null => null,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new FormatException($"scansion:strict='{value}' is neither true nor false"),
        };
    }

    private static bool IsStrictAttribute(XmlAttribute attribute) =>
        attribute.Name == ScansionNamespace.StrictAttribute && attribute.Namespace == ScansionNamespace.Uri;

    private static string? CaptureName(string value) =>
        value.StartsWith(ScansionNamespace.CapturePrefix, StringComparison.Ordinal) && value.EndsWith('}')
            ? value[ScansionNamespace.CapturePrefix.Length..^1]
            : null;

    private static string Show(XmlAttribute attribute) => attribute.Namespace switch
    {
        "" => attribute.Name,
        Namespaces.Xml => "xml:" + attribute.Name,
        _ => $"{{{attribute.Namespace}}}{attribute.Name}",
    };
}
