namespace Xmpp.Bench.Micro;

/// <summary>Stanzas of typical shape and size, as clients send them.</summary>
public static class Samples
{
    public const string StreamHeader =
        "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    public const string Message =
        "<message to='juliet@localhost/balcony' type='chat' id='a1b2c3d4-0001' xml:lang='en'>" +
        "<body>Art thou not Romeo, and a Montague? Neither, fair saint, if either thee dislike.</body>" +
        "<active xmlns='http://jabber.org/protocol/chatstates'/></message>";

    public const string Presence =
        "<presence id='p1'><show>away</show><status>In a meeting &amp; back soon</status><priority>5</priority>" +
        "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://gajim.org' ver='QqXcQ8+NhEGU3PCtlXsW+L1zEu8='/></presence>";

    public const string Iq =
        "<iq type='get' id='roster_1' to='localhost'><query xmlns='jabber:iq:roster' ver='ver7'/></iq>";
}
