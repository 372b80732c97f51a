namespace Xmpp.Protocol.Tests;

/// <summary>RFC 7622 addresses.</summary>
public class JidTests
{
    [Theory]
    [InlineData("juliet@example.com", "juliet", "example.com", null)]
    [InlineData("juliet@example.com/foo", "juliet", "example.com", "foo")]
    [InlineData("juliet@example.com/foo bar", "juliet", "example.com", "foo bar")]
    [InlineData("juliet@example.com/foo@bar", "juliet", "example.com", "foo@bar")]
    [InlineData("foo\\20bar@example.com", "foo\\20bar", "example.com", null)]
    [InlineData("fussball@example.com", "fussball", "example.com", null)]
    [InlineData("fußball@example.com", "fußball", "example.com", null)]
    [InlineData("π@example.com", "π", "example.com", null)]
    [InlineData("example.com", null, "example.com", null)]
    [InlineData("example.com/foobar", null, "example.com", "foobar")]
    [InlineData("a.example.com/b@example.net", null, "a.example.com", "b@example.net")]
    [InlineData("juliet@example.com/a/b/c", "juliet", "example.com", "a/b/c")]
    [InlineData("juliet@[::1]/res", "juliet", "[::1]", "res")]
    [InlineData("192.168.0.1", null, "192.168.0.1", null)]
    [InlineData("localhost", null, "localhost", null)]
    [InlineData("juliet@münchen.de", "juliet", "münchen.de", null)]
    public void Valid_addresses_from_rfc_7622_parse_into_their_parts(string text, string? local, string domain, string? resource)
    {
        var jid = Jid.Parse(text);

        Assert.Equal(local, jid.Local);
        Assert.Equal(domain, jid.Domain);
        Assert.Equal(resource, jid.Resource);
        Assert.Equal(text, jid.ToString());
    }

    [Theory]
    [InlineData("Juliet@Example.COM/Balcony", "juliet@example.com/Balcony")]
    [InlineData("ROMEO@EXAMPLE.NET", "romeo@example.net")]
    [InlineData("ΣΑΣ@example.com", "σασ@example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("Juliet@Example.COM./r", "juliet@example.com/r")]
    [InlineData("ＪＵＬＩＥＴ@example.com", "juliet@example.com")]
    [InlineData("juliet@ｅｘａｍｐｌｅ.ｃｏｍ", "juliet@example.com")]
    [InlineData("juliet@example。com", "juliet@example.com")]
    [InlineData("juliet@[::FFFF:1]", "juliet@[::ffff:1]")]
    [InlineData("juliet@example.com/\u00A0res\u2003x", "juliet@example.com/ res x")]
    [InlineData("juliet@example.com/Caf\u0065\u0301", "juliet@example.com/Caf\u00E9")]
    public void Addresses_are_held_in_canonical_form(string text, string canonical)
    {
        Assert.Equal(canonical, Jid.Parse(text).ToString());
        Assert.Equal(Jid.Parse(canonical), Jid.Parse(text));
    }

    [Fact]
    public void Resource_keeps_its_case_and_localpart_and_domain_do_not()
    {
        var a = Jid.Parse("Juliet@Example.com/Balcony");
        var b = Jid.Parse("juliet@example.com/balcony");

        Assert.NotEqual(a, b);
        Assert.Equal(a.Bare, b.Bare);
        Assert.Equal("Balcony", a.Resource);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@example.com")]
    [InlineData("juliet@")]
    [InlineData("juliet@/res")]
    [InlineData("juliet@example.com/")]
    [InlineData("example.com/")]
    [InlineData("/res")]
    [InlineData("@")]
    [InlineData(".")]
    [InlineData("juliet@.")]
    [InlineData("juliet@example.com..")]
    [InlineData("juliet@exa mple.com")]
    [InlineData("juliet@exa_mple.com")]
    [InlineData("juliet@-example.com")]
    [InlineData("juliet@[::1")]
    [InlineData("juliet@[1.2.3.4]")]
    [InlineData("juliet@[not-an-ip]")]
    [InlineData("juliet@a..b")]
    public void Empty_parts_and_bad_domains_are_refused(string text)
    {
        Assert.False(Jid.TryParse(text, out _, out var reason), text);
        Assert.NotEmpty(reason);
        Assert.Throws<JidFormatException>(() => Jid.Parse(text));
    }

    [Theory]
    [InlineData("\"juliet\"@example.com")]
    [InlineData("jul&iet@example.com")]
    [InlineData("jul'iet@example.com")]
    [InlineData("jul:iet@example.com")]
    [InlineData("jul<iet@example.com")]
    [InlineData("jul>iet@example.com")]
    [InlineData("jul iet@example.com")]
    [InlineData("jul\u00A0iet@example.com")]
    [InlineData("jul\u0007iet@example.com")]
    [InlineData("jul\u200Biet@example.com")]
    [InlineData("＠@example.com")]
    [InlineData("jul\uE000iet@example.com")]
    public void Forbidden_localpart_characters_are_refused(string text)
    {
        Assert.False(Jid.TryParse(text, out _), text);
    }

    [Theory]
    [InlineData("juliet@example.com/a\u0000b")]
    [InlineData("juliet@example.com/a\u0007b")]
    [InlineData("juliet@example.com/\uE000")]
    public void Forbidden_resource_characters_are_refused(string text)
    {
        Assert.False(Jid.TryParse(text, out _), text);
    }

    [Fact]
    public void Lone_surrogates_are_refused_in_every_part()
    {
        // Not as [InlineData]: attribute strings are stored as UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.False(Jid.TryParse("juliet@example.com/a\uD800b", out _));
        Assert.False(Jid.TryParse("juliet@example.com/\uDC00", out _));
        Assert.False(Jid.TryParse("jul\uD800iet@example.com", out _));
        Assert.False(Jid.TryParse("juliet@exa\uDFFFmple.com", out _));
        Assert.True(Jid.TryParse("juliet@example.com/\uD834\uDD1E", out _));
    }

    [Fact]
    public void Localpart_and_resource_may_be_1023_bytes_but_not_more()
    {
        var local = new string('a', 1023);
        var resource = new string('r', 1023);
        Assert.True(Jid.TryParse($"{local}@example.com/{resource}", out var jid));
        Assert.Equal(1023, jid.Local!.Length);

        Assert.False(Jid.TryParse($"{local}a@example.com", out _));
        Assert.False(Jid.TryParse($"a@example.com/{resource}r", out _));

        // Bytes, not characters: 512 two-byte characters are 1024 bytes.
        Assert.False(Jid.TryParse($"{new string('é', 512)}@example.com", out _));
        Assert.True(Jid.TryParse($"{new string('é', 511)}@example.com", out _));
        Assert.False(Jid.TryParse($"a@example.com/{new string('€', 342)}", out _));
    }

    [Fact]
    public void Domain_labels_and_length_are_limited()
    {
        Assert.True(Jid.TryParse(new string('a', 63) + ".com", out _));
        Assert.False(Jid.TryParse(new string('a', 64) + ".com", out _));
        var longDomain = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        Assert.False(Jid.TryParse(longDomain, out _));
    }

    [Fact]
    public void Bare_and_WithResource()
    {
        var full = Jid.Parse("juliet@example.com/balcony");

        Assert.True(full.IsFull);
        Assert.Equal("juliet@example.com", full.Bare.ToString());
        Assert.True(full.Bare.IsBare);
        var bare = full.Bare;
        Assert.Same(bare, bare.Bare);
        Assert.Equal("juliet@example.com/chamber", full.WithResource("chamber").ToString());
        Assert.Equal("juliet@example.com", full.WithResource(null).ToString());
        Assert.Throws<JidFormatException>(() => full.WithResource(string.Empty));
    }

    [Fact]
    public void Create_prepares_each_part()
    {
        Assert.Equal("juliet@example.com/Home", Jid.Create("JULIET", "EXAMPLE.com", "Home").ToString());
        Assert.Equal("example.com", Jid.Create(null, "example.com").ToString());
        Assert.Throws<JidFormatException>(() => Jid.Create("a@b", "example.com"));
        Assert.Throws<JidFormatException>(() => Jid.Create(string.Empty, "example.com"));
    }

    [Fact]
    public void Equality_and_hashing_use_the_canonical_form()
    {
        var set = new HashSet<Jid> { Jid.Parse("Juliet@EXAMPLE.com"), Jid.Parse("juliet@example.com.") };

        Assert.Single(set);
        Assert.True(Jid.Parse("a@b") == Jid.Parse("A@B"));
        Assert.True(Jid.Parse("a@b") != Jid.Parse("a@b/c"));
        Assert.False(Jid.Parse("a@b").Equals(null));
    }

    [Fact]
    public void TryParse_of_null_fails()
    {
        Assert.False(Jid.TryParse(null, out var jid));
        Assert.Null(jid);
    }

    [Fact]
    public void Jids_of_one_domain_share_its_prepared_string()
    {
        var first = Jid.Parse("romeo@shared-domain.example/orchard");
        var second = Jid.Parse("juliet@shared-domain.example");
        var created = Jid.Create("nurse", "shared-domain.example");

        Assert.Same(first.Domain, second.Domain);
        Assert.Same(first.Domain, created.Domain);
    }

    [Fact]
    public void Remembered_domains_are_still_prepared_per_spelling()
    {
        // The raw spelling is the key: a later differently-written form must be prepared itself.
        Assert.Equal("cached.example", Jid.Parse("a@cached.example").Domain);
        Assert.Equal("cached.example", Jid.Parse("a@CACHED.Example").Domain);
        Assert.Equal("cached.example", Jid.Parse("a@cached\uFF0Eexample").Domain);
        Assert.Equal("cached.example", Jid.Parse("a@CACHED.Example").Domain); // now from the cache
    }

    [Fact]
    public void Invalid_domains_are_refused_every_time()
    {
        for (var i = 0; i < 2; i++)
        {
            Assert.False(Jid.TryParse("a@bad..example", out _, out var reason));
            Assert.Contains("domain", reason, StringComparison.OrdinalIgnoreCase);
        }
    }
}
