using System.Net;
using Xmpp.Gateway.Tcp;

namespace Xmpp.Gateway.Tests;

/// <summary>Gateway:ListenAddress, as both listeners read it.</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("*")]
    [InlineData("any")]
    public void Empty_or_wildcard_means_every_interface(string? value) => Assert.Null(ListenAddress.Parse(value));

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("LocalHost", "127.0.0.1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void Addresses_and_localhost_are_read(string value, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ListenAddress.Parse(value));

    [Fact]
    public void A_host_name_is_refused_with_the_key_named()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ListenAddress.Parse("xmpp.example.com"));
        Assert.Contains("Gateway:ListenAddress", e.Message, StringComparison.Ordinal);
    }
}
