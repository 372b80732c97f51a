using Xmpp.Grains.Archive;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;
using Xmpp.Storage.Archive;

namespace Xmpp.Grains.Tests;

/// <summary>How an XEP-0313 query element becomes an archive query, and what is refused.</summary>
public sealed class MamQueryTests
{
    private static readonly ArchiveOptions Options = new() { DefaultPageSize = 20, MaxPageSize = 50 };

    private static MamQuery Parse(string fields, string set = "", string extra = "") => MamQuery.Parse(
        XmlText.Parse($"<query xmlns='urn:xmpp:mam:2' queryid='q'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>{fields}</x>{set}{extra}</query>"),
        Options);

    private static string Field(string var, params string[] values) =>
        $"<field var='{var}'>{string.Concat(values.Select(v => $"<value>{v}</value>"))}</field>";

    private static string Condition(Action parse) => Assert.Throws<StanzaErrorException>(parse).Error.Condition;

    [Fact]
    public void A_bare_with_matches_resources_a_full_one_only_itself_and_both_are_normalised()
    {
        var bare = Parse(Field("with", "Juliet@Capulet.LIT")).Query;
        Assert.Equal(("juliet@capulet.lit", true), (bare.With, bare.WithIsBare));
        var full = Parse(Field("with", "juliet@capulet.lit/Balcony")).Query;
        Assert.Equal(("juliet@capulet.lit/Balcony", false), (full.With, full.WithIsBare));
    }

    [Fact]
    public void Start_is_inclusive_and_an_end_without_fractions_covers_its_whole_second()
    {
        var query = Parse(Field("start", "2026-12-01T12:00:00Z") + Field("end", "2026-12-01T13:00:00+01:00")).Query;
        var noon = ArchiveId.FromTime(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(noon, query.MinId);
        Assert.Equal(noon + 999_999, query.MaxId);
        Assert.Equal(noon + 500_000, Parse(Field("end", "2026-12-01T12:00:00.5Z")).Query.MaxId);
    }

    [Theory]
    [InlineData("2026-12-01")]
    [InlineData("2026-12-01T12:00:00")]
    [InlineData("yesterday")]
    public void A_time_that_is_not_an_XEP_0082_date_time_is_a_bad_request(string time)
    {
        Assert.Equal("bad-request", Condition(() => Parse(Field("start", time))));
    }

    [Fact]
    public void Ids_and_id_bounds_are_read_and_an_id_never_handed_out_is_item_not_found()
    {
        var query = Parse(Field("after-id", "0000000000000010") + Field("before-id", "0000000000000020") + Field("ids", "0000000000000011", "junk", "0000000000000012")).Query;
        Assert.Equal((16L, 32L), (query.AfterId!.Value, query.BeforeId!.Value));
        Assert.Equal([17L, 18L], query.Ids);
        Assert.Equal("item-not-found", Condition(() => Parse(Field("after-id", "junk"))));
        Assert.Equal("item-not-found", Condition(() => Parse("", "<set xmlns='http://jabber.org/protocol/rsm'><before>junk</before></set>")));
    }

    [Fact]
    public void Rsm_max_is_capped_before_asks_for_the_last_page_and_flip_page_is_noted()
    {
        var last = Parse("", "<set xmlns='http://jabber.org/protocol/rsm'><max>500</max><before/></set>", "<flip-page/>");
        Assert.Equal((50, true, (long?)null, true), (last.Query.Max, last.Query.FromEnd, last.Query.PageBefore, last.FlipPage));
        Assert.Equal(20, Parse("").Query.Max);
        Assert.Equal("bad-request", Condition(() => Parse("", "<set xmlns='http://jabber.org/protocol/rsm'><max>-1</max></set>")));
    }

    [Fact]
    public void Another_form_type_is_a_bad_request_and_unknown_fields_are_ignored()
    {
        Assert.Equal("bad-request", Condition(() => MamQuery.Parse(
            XmlText.Parse("<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:1</value></field></x></query>"), Options)));
        Assert.Null(Parse(Field("withtext", "hello")).Query.With);
    }

    [Fact]
    public void Preferences_never_wins_over_always_and_a_full_jid_rule_over_the_bare_one()
    {
        var prefs = MamPrefs.Parse(XmlText.Parse(
            "<prefs xmlns='urn:xmpp:mam:2' default='roster'><always><jid>a@x</jid><jid>b@x/phone</jid><jid>A@X</jid></always><never><jid>a@x</jid><jid>b@x</jid></never></prefs>"));
        Assert.Equal(["a@x", "b@x/phone"], prefs.AlwaysJids);
        Assert.False(prefs.ShouldArchive(Jid.Parse("a@x/any"), inRoster: true));
        Assert.True(prefs.ShouldArchive(Jid.Parse("b@x/phone"), inRoster: false));
        Assert.False(prefs.ShouldArchive(Jid.Parse("b@x/laptop"), inRoster: true));
        Assert.True(prefs.ShouldArchive(Jid.Parse("c@x"), inRoster: true));
        Assert.False(prefs.ShouldArchive(Jid.Parse("c@x"), inRoster: false));
    }
}
