namespace Xmpp.Protocol.DataForms;

/// <summary>
/// A field of a data form (XEP-0004 §3.2). Rendered in the element order Prosody uses
/// (desc, validate, options, values, required), which strict conformance scripts compare.
/// </summary>
public sealed class DataFormField
{
    public const string Boolean = "boolean";
    public const string Fixed = "fixed";
    public const string Hidden = "hidden";
    public const string JidMulti = "jid-multi";
    public const string JidSingle = "jid-single";
    public const string ListMulti = "list-multi";
    public const string ListSingle = "list-single";
    public const string TextMulti = "text-multi";
    public const string TextPrivate = "text-private";
    public const string TextSingle = "text-single";

    public DataFormField(string? var, string? type = TextSingle)
    {
        Var = var;
        Type = type;
    }

    public string? Var { get; }

    /// <summary>The field type; null only in parsed submissions that omit it.</summary>
    public string? Type { get; set; }

    public string? Label { get; set; }

    /// <summary>The <c>&lt;desc/&gt;</c> help text.</summary>
    public string? Description { get; set; }

    /// <summary>XEP-0122 datatype (e.g. <c>xs:integer</c>), rendered as <c>&lt;validate/&gt;</c> in forms.</summary>
    public string? Datatype { get; set; }

    /// <summary>XEP-0122 §3.3: the bounds a value of <see cref="Datatype"/> must lie within, rendered with it.</summary>
    public DataFormRange? Range { get; set; }

    public bool Required { get; set; }

    public IList<string> Values { get; } = [];

    public IList<DataFormOption> Options { get; } = [];

    /// <summary>The first value, or null when the field has none (an empty field is distinct from an empty value).</summary>
    public string? Value => Values.Count > 0 ? Values[0] : null;

    /// <summary>XEP-0004 §3.3 boolean: "1"/"true" and "0"/"false"; null when absent or not a boolean.</summary>
    public bool? BooleanValue => Value switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => null,
    };

    public DataFormField WithValue(string? value)
    {
        if (value is not null)
        {
            Values.Add(value);
        }

        return this;
    }

    public DataFormField WithValue(bool value) => WithValue(value ? "1" : "0");

    internal Element ToElement(string formType)
    {
        var field = new Element("field", Namespaces.DataForms);
        field.SetAttribute("type", Type);
        field.SetAttribute("var", Var);
        var full = formType != DataForm.Submit;
        if (full)
        {
            field.SetAttribute("label", Label);
            if (Description is not null)
            {
                field.AddTextChild("desc", Namespaces.DataForms, Description);
            }
        }

        if (formType == DataForm.Form)
        {
            if (Datatype is not null)
            {
                var validate = field.AddChild("validate", Namespaces.DataValidate).SetAttribute("datatype", Datatype);
                if (Range is { } range)
                {
                    validate.AddChild("range", Namespaces.DataValidate).SetAttribute("min", range.Min).SetAttribute("max", range.Max);
                }
            }

            foreach (var option in Options)
            {
                field.AddChild("option", Namespaces.DataForms)
                    .SetAttribute("label", option.Label)
                    .AddTextChild("value", Namespaces.DataForms, option.Value);
            }
        }

        foreach (var value in Values)
        {
            field.AddTextChild("value", Namespaces.DataForms, value);
        }

        if (formType == DataForm.Form && Required)
        {
            field.AddChild("required", Namespaces.DataForms);
        }

        return field;
    }

    internal static DataFormField Parse(Element element)
    {
        var field = new DataFormField(element.GetAttribute("var"), element.GetAttribute("type"))
        {
            Label = element.GetAttribute("label"),
            Description = element.ChildText("desc", Namespaces.DataForms),
            Required = element.Child("required", Namespaces.DataForms) is not null,
            Datatype = element.Child("validate", Namespaces.DataValidate)?.GetAttribute("datatype"),
        };
        foreach (var child in element.Elements())
        {
            if (child.Is("value", Namespaces.DataForms))
            {
                field.Values.Add(child.Text);
            }
            else if (child.Is("option", Namespaces.DataForms))
            {
                field.Options.Add(new DataFormOption(child.ChildText("value", Namespaces.DataForms) ?? string.Empty, child.GetAttribute("label")));
            }
        }

        return field;
    }
}
