using Xmpp.Protocol;
using Xmpp.Protocol.DataForms;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>XEP-0004 forms as the MUC code builds and reads them (Prosody's element order).</summary>
public sealed class DataFormTests
{
    [Fact]
    public void A_form_renders_title_instructions_and_fields_in_prosodys_order()
    {
        var form = new DataForm { Title = "T", Instructions = "I" }.WithFormType("urn:example");
        var list = form.Add(new DataFormField("choice", DataFormField.ListSingle) { Label = "Pick", Description = "Help", Required = true, Datatype = "xs:string" });
        list.Options.Add(new DataFormOption("a", "A"));
        list.WithValue("a");

        Assert.Equal(
            "<x xmlns='jabber:x:data' type='form'><title>T</title><instructions>I</instructions>"
            + "<field type='hidden' var='FORM_TYPE'><value>urn:example</value></field>"
            + "<field type='list-single' var='choice' label='Pick'><desc>Help</desc>"
            + "<validate xmlns='http://jabber.org/protocol/xdata-validate' datatype='xs:string'/>"
            + "<option label='A'><value>a</value></option><value>a</value><required/></field></x>",
            XmlText.Serialize(form.ToElement()));
    }

    [Fact]
    public void A_result_form_has_labels_but_no_options_validation_or_required()
    {
        var form = new DataForm(DataForm.Result);
        var field = form.Add(new DataFormField("f", DataFormField.ListSingle) { Label = "L", Required = true, Datatype = "xs:integer" });
        field.Options.Add(new DataFormOption("1"));
        field.WithValue("1");

        Assert.Equal("<x xmlns='jabber:x:data' type='result'><field type='list-single' var='f' label='L'><value>1</value></field></x>", XmlText.Serialize(form.ToElement()));
    }

    [Fact]
    public void A_submission_is_read_with_its_form_type_values_and_booleans()
    {
        var x = XmlText.Parse("""
            <x xmlns='jabber:x:data' type='submit'>
              <field var='FORM_TYPE'><value>urn:example</value></field>
              <field var='yes'><value>true</value></field>
              <field var='no'><value>0</value></field>
              <field var='empty'/>
              <field var='many'><value>a</value><value>b</value></field>
            </x>
            """);
        var form = DataForm.Parse(x);

        Assert.Equal((DataForm.Submit, "urn:example"), (form.Type, form.FormType));
        Assert.True(form["yes"]!.BooleanValue);
        Assert.False(form["no"]!.BooleanValue);
        Assert.Null(form["empty"]!.Value);
        Assert.Equal(["a", "b"], form["many"]!.Values);
        Assert.Null(form["missing"]);
        Assert.Null(DataForm.Find(new Element("query", Namespaces.MucOwner)));
    }
}
