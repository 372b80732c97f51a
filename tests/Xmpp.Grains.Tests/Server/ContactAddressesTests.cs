using Xmpp.Grains.Server;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.Server;

/// <summary>XEP-0157 contact addresses as Prosody's mod_server_contact_info renders them.</summary>
public sealed class ContactAddressesTests
{
    [Fact]
    public void Nothing_configured_means_no_form()
    {
        Assert.Null(new ContactAddressesOptions().ToForm());
    }

    [Fact]
    public void The_serverinfo_form_has_every_field_in_order_with_the_configured_addresses()
    {
        var options = new ContactAddressesOptions();
        options.Support.Add("https://example.org/support");
        options.Abuse.Add("mailto:abuse@example.org");
        options.Abuse.Add("xmpp:abuse@example.org");

        Assert.Equal(
            "<x xmlns='jabber:x:data' type='result'>"
            + "<field type='hidden' var='FORM_TYPE'><value>http://jabber.org/network/serverinfo</value></field>"
            + "<field type='list-multi' var='abuse-addresses'><value>mailto:abuse@example.org</value><value>xmpp:abuse@example.org</value></field>"
            + "<field type='list-multi' var='admin-addresses'/>"
            + "<field type='list-multi' var='feedback-addresses'/>"
            + "<field type='list-multi' var='sales-addresses'/>"
            + "<field type='list-multi' var='security-addresses'/>"
            + "<field type='list-multi' var='status-addresses'/>"
            + "<field type='list-multi' var='support-addresses'><value>https://example.org/support</value></field>"
            + "</x>",
            XmlText.Serialize(options.ToForm()!.ToElement()));
    }
}
