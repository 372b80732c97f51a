using System.Text;
using Xmpp.Scansion.Client;

namespace Xmpp.Scansion.Unit;

public sealed class ScramSha1ClientTests
{
    // RFC 5802 §5: user "user", password "pencil".
    private const string ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    private const string ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";

    [Fact]
    public void ProducesTheRfc5802ExampleExchange()
    {
        var scram = new ScramSha1Client("user", "pencil", ClientNonce);

        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", scram.ClientFirst());
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", scram.ClientFinal(ServerFirst));
        scram.VerifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    [Fact]
    public void RejectsAServerThatDoesNotKnowThePassword()
    {
        var scram = new ScramSha1Client("user", "pencil", ClientNonce);
        scram.ClientFinal(ServerFirst);
        Assert.Throws<AuthenticationFailedException>(() => scram.VerifyServerFinal("v=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("not the signature!!!"))));
        Assert.Throws<AuthenticationFailedException>(() => scram.VerifyServerFinal("e=invalid-proof"));
    }

    [Fact]
    public void RejectsANonceThatDoesNotExtendTheClients()
    {
        var scram = new ScramSha1Client("user", "pencil", ClientNonce);
        Assert.Throws<AuthenticationFailedException>(() => scram.ClientFinal("r=somethingelse,s=QSXCR+Q6sek8bf92,i=4096"));
        Assert.Throws<AuthenticationFailedException>(() => scram.ClientFinal($"r={ClientNonce},s=QSXCR+Q6sek8bf92,i=4096"));
    }

    [Fact]
    public void EscapesCommaAndEqualsInTheUserName()
    {
        Assert.StartsWith("n,,n=a=2Cb=3Dc,r=", new ScramSha1Client("a,b=c", "p").ClientFirst(), StringComparison.Ordinal);
    }
}
