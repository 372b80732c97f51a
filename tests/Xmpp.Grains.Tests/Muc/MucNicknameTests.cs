using Xmpp.Grains.Muc;
using Xmpp.Protocol;

namespace Xmpp.Grains.Tests.Muc;

/// <summary>Nicknames prepared and checked as Prosody's router and rooms do.</summary>
public sealed class MucNicknameTests
{
    [Theory]
    [InlineData("room@conference.localhost/\U0001F916\uFE0F", "room@conference.localhost/\U0001F916")]
    [InlineData("room@conference.localhost/Ｒｏｍｅｏ", "room@conference.localhost/Romeo")]
    [InlineData("room@conference.localhost/Romeo", "room@conference.localhost/Romeo")]
    [InlineData("room@conference.localhost/a\u05D0", "room@conference.localhost/a\u05D0")] // resourceprep refuses it: left for the strict check
    [InlineData("room@conference.localhost", "room@conference.localhost")]
    public void An_occupant_jid_is_prepared_as_prosodys_router_prepares_it(string jid, string expected)
    {
        Assert.Equal(expected, MucNickname.Prepare(Jid.Parse(jid)).ToString());
    }

    [Theory]
    [InlineData("Romeo", "Romeo")]
    [InlineData("Ｒｏｍｅｏ", "Romeo")]
    [InlineData("\u263A\uFE0F", "\u263A")]
    public void A_nickname_in_unicode_3_2_passes_strict_validation_as_prepared(string nick, string expected)
    {
        Assert.True(MucNickname.TryPrepareStrict(nick, out var prepared));
        Assert.Equal(expected, prepared);
    }

    [Theory]
    [InlineData("\U0001F916")]
    [InlineData("\U0001F916\uFE0F")]
    [InlineData("a\u05D0")]
    [InlineData("")]
    public void Other_nicknames_fail_strict_validation(string nick)
    {
        Assert.False(MucNickname.TryPrepareStrict(nick, out _));
    }
}
