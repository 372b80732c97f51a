using System.Text;
using Xmpp.Grains.Upload;

namespace Xmpp.Grains.Tests.Upload;

public sealed class SlotTokenTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("the cluster's secret");
    private static readonly SlotClaims Claims = new("0123456789abcdef0123456789abcdef", "Romeo & Juliet.pdf", 4096, null, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));

    [Fact]
    public void A_token_gives_back_its_claims_under_its_key_only()
    {
        var token = SlotToken.Sign(Claims, Key);
        Assert.Equal(Claims, SlotToken.Verify(token, Key));
        Assert.Null(SlotToken.Verify(token, Encoding.UTF8.GetBytes("another secret")));
    }

    [Fact]
    public void Changed_claims_or_a_mangled_token_are_refused()
    {
        var token = SlotToken.Sign(Claims, Key);
        var other = SlotToken.Sign(Claims with { Size = 1_000_000 }, Key);
        var forged = other[..other.IndexOf('.', StringComparison.Ordinal)] + token[token.IndexOf('.', StringComparison.Ordinal)..];
        Assert.Null(SlotToken.Verify(forged, Key));
        Assert.Null(SlotToken.Verify(token.Replace('.', '!'), Key));
        Assert.Null(SlotToken.Verify(token + "@", Key));
        Assert.Null(SlotToken.Verify(string.Empty, Key));
    }
}
