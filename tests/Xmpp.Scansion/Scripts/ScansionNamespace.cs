namespace Xmpp.Scansion.Scripts;

/// <summary>The names scansion gives special meaning to in script XML.</summary>
public static class ScansionNamespace
{
    /// <summary>The namespace bound to the <c>scansion:</c> prefix in every XML block.</summary>
    public const string Uri = "https://matthewwild.co.uk/projects/scansion";

    /// <summary>The prefix scripts use; it is pre-bound, scripts never declare it.</summary>
    public const string Prefix = "scansion";

    /// <summary><c>scansion:strict="true|false"</c> picks the matching rule for one expected element.</summary>
    public const string StrictAttribute = "strict";

    /// <summary>An expected attribute value meaning "present, any value".</summary>
    public const string AnyValue = "{scansion:any}";

    /// <summary>An expected attribute value <c>{scansion:capture:NAME}</c>: present, any value, recorded as NAME.</summary>
    public const string CapturePrefix = "{scansion:capture:";
}
