using Xmpp.Protocol.Xml;

namespace Xmpp.Protocol.Tests;

/// <summary>Realistic stanzas, as clients and servers send them.</summary>
internal static class Corpus
{
    public static readonly string[] Xml =
    [
        // RFC 6121 §2.1.6 roster push.
        "<iq id='a78b4q6ha463' to='juliet@example.com/chamber' type='set'><query xmlns='jabber:iq:roster' ver='ver14'>"
        + "<item jid='nurse@example.com' name='Nurse' subscription='both' ask='subscribe'><group>Servants</group><group>Family &amp; Friends</group></item></query></iq>",

        // XEP-0045 §7.2.3 occupant presence with status codes.
        "<presence from='coven@chat.shakespeare.lit/thirdwitch' id='n13mt3l' to='hag66@shakespeare.lit/pda' xml:lang='en'>"
        + "<show>away</show><status>Brewing…</status><priority>5</priority>"
        + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://psi-im.org' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/>"
        + "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' jid='hag66@shakespeare.lit/pda' role='participant'/>"
        + "<status code='100'/><status code='110'/><status code='210'/></x></presence>",

        // Message with body, delay (XEP-0203), stanza-id and a chat state.
        "<message from='romeo@example.net/orchard' id='ktx72v49' to='juliet@example.com' type='chat' xml:lang='en'>"
        + "<body>Art thou not Romeo, and a Montague? &lt;3 — ¿qué? 😀</body><subject>Re: 🌹</subject><thread parent='7edac73ab41e45c4aafa7b2d7b749080'>e0ffe42b28561960c6b12b944a092794b9683a38</thread>"
        + "<delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay>"
        + "<stanza-id xmlns='urn:xmpp:sid:0' by='juliet@example.com' id='28482-98726-73623'/>"
        + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>",

        // RFC 6120 §8.3.3 IQ error.
        "<iq from='im.example.com' id='xq7s1ga7' to='juliet@im.example.com/balcony' type='error'>"
        + "<query xmlns='http://jabber.org/protocol/disco#items' node='music'/>"
        + "<error by='im.example.com' type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        + "<text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Sorry, &quot;music&quot; isn't here</text></error></iq>",

        // XEP-0004 data form in a MUC owner configuration.
        "<iq from='coven@chat.shakespeare.lit' id='config1' to='crone1@shakespeare.lit/desktop' type='result'>"
        + "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='form'>"
        + "<title>Configuration for &quot;coven&quot; Room</title><instructions>Fill out this form\nto configure your room</instructions>"
        + "<field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>"
        + "<field label='Natural-Language Room Name' type='text-single' var='muc#roomconfig_roomname'><value>A Dark Cave</value></field>"
        + "<field label='Maximum Number of Occupants' type='list-single' var='muc#roomconfig_maxusers'>"
        + "<value>10</value><option label='10'><value>10</value></option><option label='None'><value>0</value></option></field>"
        + "<field type='boolean' var='muc#roomconfig_moderatedroom'><value>1</value></field>"
        + "<field type='jid-multi' var='muc#roomconfig_roomadmins'><value>wiccarocks@shakespeare.lit</value><value>hecate@shakespeare.lit</value></field>"
        + "</x></query></iq>",

        // Pretty-printed stanza: white space text nodes are data too.
        "<message to='a@b'>\n  <body>\n    indented\n  </body>\n  <x xmlns='jabber:x:oob'><url>http://example.com/?a=1&amp;b=2</url></x>\n</message>",

        // Prefixed payload and a foreign attribute.
        "<iq type='set' id='pub1'><ps:pubsub xmlns:ps='http://jabber.org/protocol/pubsub'><ps:publish node='princely_musings'>"
        + "<ps:item id='ae890ac52d0df67ed7cfdf51b644e901'><entry xmlns='http://www.w3.org/2005/Atom' xmlns:e='urn:extra' e:rank='1'><title>Soliloquy</title></entry></ps:item>"
        + "</ps:publish></ps:pubsub></iq>",

        // SASL and negotiation elements.
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1qdWxpZXQscj1vTXNUQUF3QUFBQU1BQUFBTlAwVEFBQUFBQUJQVTBBQQ==</auth>",
        "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
    ];

    public static IEnumerable<Element> Stanzas() => Xml.Select(x => XmlText.Parse(x));
}
