namespace Xmpp.Protocol;

/// <summary>Every XML namespace the server speaks, in one place (RFC 6120/6121 and the XEPs).</summary>
public static class Namespaces
{
    public const string Xml = "http://www.w3.org/XML/1998/namespace";
    public const string Client = "jabber:client";
    public const string Server = "jabber:server";
    public const string Stream = "http://etherx.jabber.org/streams";
    public const string Streams = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string Framing = "urn:ietf:params:xml:ns:xmpp-framing";
    public const string Roster = "jabber:iq:roster";
    public const string RosterVersioning = "urn:xmpp:features:rosterver";
    public const string PreApproval = "urn:xmpp:features:pre-approval";
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    public const string DiscoItems = "http://jabber.org/protocol/disco#items";
    public const string Version = "jabber:iq:version";
    public const string Last = "jabber:iq:last";
    public const string Time = "urn:xmpp:time";
    public const string Ping = "urn:xmpp:ping";
    public const string VCard = "vcard-temp";
    public const string Blocking = "urn:xmpp:blocking";
    public const string BlockingErrors = "urn:xmpp:blocking:errors";
    public const string Delay = "urn:xmpp:delay";
    public const string OfflineMessages = "msgoffline";
    public const string DataForms = "jabber:x:data";
    public const string Muc = "http://jabber.org/protocol/muc";
    public const string MucUser = "http://jabber.org/protocol/muc#user";
    public const string MucAdmin = "http://jabber.org/protocol/muc#admin";
    public const string MucOwner = "http://jabber.org/protocol/muc#owner";
    public const string MucRequest = "http://jabber.org/protocol/muc#request";
    public const string MucRoomConfig = "http://jabber.org/protocol/muc#roomconfig";
    public const string MucRoomInfo = "http://jabber.org/protocol/muc#roominfo";
    public const string MucRegister = "http://jabber.org/protocol/muc#register";
    public const string MucUnique = "http://jabber.org/protocol/muc#unique";
    public const string MucStableId = "http://jabber.org/protocol/muc#stable_id";
    public const string MucSelfPingOptimization = "http://jabber.org/protocol/muc#self-ping-optimization";
    public const string ProsodyMuc = "http://prosody.im/protocol/muc";
    public const string ProsodyMucDestroy = "http://prosody.im/protocol/muc#destroy";
    public const string ProsodyMucSetAffiliation = "http://prosody.im/protocol/muc#set-affiliation";
    public const string Conference = "jabber:x:conference";
    public const string OccupantId = "urn:xmpp:occupant-id:0";
    public const string VCardUpdate = "vcard-temp:x:update";
    public const string LegacyDelay = "jabber:x:delay";
    public const string DataValidate = "http://jabber.org/protocol/xdata-validate";
    public const string Register = "jabber:iq:register";
    public const string Commands = "http://jabber.org/protocol/commands";
    public const string Hints = "urn:xmpp:hints";
    public const string ChatMarkers = "urn:xmpp:chat-markers:0";
    public const string Eme = "urn:xmpp:eme:0";
    public const string PubSub = "http://jabber.org/protocol/pubsub";
    public const string VCard4 = "urn:ietf:params:xml:ns:vcard-4.0";
}
