namespace Xmpp.Protocol.DataForms;

/// <summary>One choice of a list field (XEP-0004 §3.3): a value and its human-readable label.</summary>
public sealed record DataFormOption(string Value, string? Label = null);

/// <summary>A value range of data form validation (XEP-0122 §3.3); either bound may be open.</summary>
public sealed record DataFormRange(string? Min, string? Max);
