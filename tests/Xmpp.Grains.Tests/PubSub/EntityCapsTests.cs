using Xmpp.Grains.PubSub;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests.PubSub;

/// <summary>XEP-0115 verification with the XEP's own examples (§5.2, §5.3).</summary>
public sealed class EntityCapsTests
{
    [Fact]
    public void The_simple_example_verifies()
    {
        var query = XmlText.Parse(
            "<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>"
            + "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
            + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>");
        Assert.True(new EntityCaps("http://code.google.com/p/exodus", "QgayPKawpkPSDYmwT/WM94uAlu0=", "sha-1").Verifies(query));
        Assert.False(new EntityCaps("http://code.google.com/p/exodus", "QgayPKawpkPSDYmwT/WM94uAlu0=", "sha-256").Verifies(query));
        Assert.False(new EntityCaps("http://code.google.com/p/exodus", "QgayPKawpkPSDYmwT/WM94uAlu0=", null).Verifies(query));
    }

    [Fact]
    public void The_complex_example_with_languages_and_an_extended_form_verifies_and_a_changed_feature_does_not()
    {
        const string complex =
            "<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>"
            + "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
            + "<identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>"
            + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>"
            + "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
            + "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field><field var='os'><value>Mac</value></field>"
            + "<field var='os_version'><value>10.5.1</value></field><field var='software'><value>Psi</value></field>"
            + "<field var='software_version'><value>0.11</value></field></x></query>";
        var caps = new EntityCaps("http://psi-im.org", "q07IKJEyjvHSyhy//CH0CxmKi8w=", "sha-1");
        Assert.True(caps.Verifies(XmlText.Parse(complex)));
        Assert.False(caps.Verifies(XmlText.Parse(complex.Replace("protocol/muc", "protocol/muc+notify", StringComparison.Ordinal))));
        Assert.Equal(["http://jabber.org/protocol/muc"], EntityCaps.NotifyNodes(XmlText.Parse(complex.Replace("protocol/muc'", "protocol/muc+notify'", StringComparison.Ordinal))));
    }
}
