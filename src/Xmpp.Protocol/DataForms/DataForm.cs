namespace Xmpp.Protocol.DataForms;

/// <summary>
/// A data form (XEP-0004): <c>&lt;x xmlns='jabber:x:data'/&gt;</c> with its fields in order.
/// Builds forms the way Prosody's util.dataforms renders them and reads submissions.
/// </summary>
public sealed class DataForm
{
    // Form types (XEP-0004 §3.1).
    public const string Form = "form";
    public const string Submit = "submit";
    public const string Result = "result";
    public const string Cancel = "cancel";

    /// <summary>The hidden field naming the form's type (XEP-0068).</summary>
    public const string FormTypeVar = "FORM_TYPE";

    public DataForm(string type = Form) => Type = type;

    public string Type { get; }

    public string? Title { get; set; }

    public string? Instructions { get; set; }

    public IList<DataFormField> Fields { get; } = [];

    /// <summary>The FORM_TYPE value (XEP-0068), or null without one.</summary>
    public string? FormType => this[FormTypeVar]?.Value;

    /// <summary>The first field with this var, or null.</summary>
    public DataFormField? this[string var] => Fields.FirstOrDefault(f => f.Var == var);

    /// <summary>Appends a field and returns it, for building.</summary>
    public DataFormField Add(DataFormField field)
    {
        Fields.Add(field);
        return field;
    }

    /// <summary>Appends the hidden FORM_TYPE field.</summary>
    public DataForm WithFormType(string formType)
    {
        Add(new DataFormField(FormTypeVar, DataFormField.Hidden)).WithValue(formType);
        return this;
    }

    public Element ToElement()
    {
        var x = new Element("x", Namespaces.DataForms).SetAttribute("type", Type);
        if (Type == Cancel)
        {
            return x;
        }

        if (Type != Submit)
        {
            if (Title is not null)
            {
                x.AddTextChild("title", Namespaces.DataForms, Title);
            }

            if (Instructions is not null)
            {
                x.AddTextChild("instructions", Namespaces.DataForms, Instructions);
            }
        }

        foreach (var field in Fields)
        {
            x.Add(field.ToElement(Type));
        }

        return x;
    }

    /// <summary>Reads a form; a missing type attribute reads as <see cref="Form"/>.</summary>
    public static DataForm Parse(Element x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var form = new DataForm(x.GetAttribute("type") ?? Form)
        {
            Title = x.ChildText("title", Namespaces.DataForms),
            Instructions = x.ChildText("instructions", Namespaces.DataForms),
        };
        foreach (var field in x.Elements("field", Namespaces.DataForms))
        {
            form.Fields.Add(DataFormField.Parse(field));
        }

        return form;
    }

    /// <summary>The form among an element's children, or null.</summary>
    public static DataForm? Find(Element parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return parent.Child("x", Namespaces.DataForms) is { } x ? Parse(x) : null;
    }
}
