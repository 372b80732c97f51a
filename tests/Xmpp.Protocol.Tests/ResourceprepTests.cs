using Xmpp.Protocol.Stringprep;

namespace Xmpp.Protocol.Tests;

/// <summary>Resourceprep (RFC 3920 Appendix B on RFC 3454's Unicode 3.2 tables), plain and strict.</summary>
public class ResourceprepTests
{
    [Theory]
    [InlineData("Romeo", "Romeo")] // no case folding in resourceprep
    [InlineData("the balcony", "the balcony")]
    [InlineData("\U0001F916\uFE0F", "\U0001F916")] // B.1: the emoji presentation selector goes
    [InlineData("Ro\u00ADmeo", "Romeo")] // B.1: soft hyphen
    [InlineData("Ｒｏｍｅｏ", "Romeo")] // NFKC: fullwidth forms
    [InlineData("\uFB01sh", "fish")] // NFKC: the ligature
    [InlineData("Cafe\u0301", "Caf\u00E9")] // NFKC composes
    [InlineData("\u00A0x", " x")] // NFKC maps the no-break space before the prohibition check
    [InlineData("\u05D0\u05D1", "\u05D0\u05D1")] // right-to-left only
    [InlineData("\u05D01\u05D1", "\u05D01\u05D1")] // digits inside right-to-left text
    public void Maps_and_normalises(string input, string expected)
    {
        Assert.True(Resourceprep.TryPrepare(input, allowUnassigned: true, out var prepared));
        Assert.Equal(expected, prepared);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u00AD")] // nothing left after mapping
    [InlineData("a\u0007b")] // C.2.1 control
    [InlineData("a\u0085b")] // C.2.2 control
    [InlineData("a\u1680b")] // C.1.2 non-ASCII space that NFKC keeps
    [InlineData("\uE000")] // C.3 private use
    [InlineData("a\uFFFEb")] // C.4 non-character
    [InlineData("a\u200Eb")] // C.8 left-to-right mark
    [InlineData("a\U000E0041b")] // C.9 tag
    [InlineData("a\u05D0")] // §6: left-to-right and right-to-left mixed
    [InlineData("\u05D01")] // §6: right-to-left text must end right-to-left
    public void Refuses_what_the_profile_prohibits(string input)
    {
        Assert.False(Resourceprep.TryPrepare(input, allowUnassigned: true, out _));
        Assert.False(Resourceprep.TryPrepare(input, allowUnassigned: false, out _));
    }

    [Fact]
    public void Refuses_a_lone_surrogate()
    {
        // Not as [InlineData]: attribute strings are stored as UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.False(Resourceprep.TryPrepare("a\uD800b", allowUnassigned: true, out _));
    }

    [Theory]
    [InlineData("\U0001F916\uFE0F")] // ROBOT FACE, Unicode 8.0
    [InlineData("\U0001F916")]
    [InlineData("x\u0221")] // Unicode 4.0, the first entry of table A.1
    [InlineData("\u20AC\u20B9")] // the euro sign is in 3.2, the rupee sign (6.0) is not
    public void Strict_refuses_code_points_unassigned_in_unicode_3_2_that_plain_accepts(string input)
    {
        Assert.True(Resourceprep.TryPrepare(input, allowUnassigned: true, out _));
        Assert.False(Resourceprep.TryPrepare(input, allowUnassigned: false, out _));
    }

    [Theory]
    [InlineData("Romeo")]
    [InlineData("\u263A\uFE0F")] // WHITE SMILING FACE is in Unicode 1.1
    [InlineData("\u20AC")]
    [InlineData("\u05D0\u05D1")]
    public void Strict_accepts_what_unicode_3_2_has(string input)
    {
        Assert.True(Resourceprep.TryPrepare(input, allowUnassigned: false, out _));
    }
}
