using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Gateway.Tls;

namespace Xmpp.Gateway.Tests;

/// <summary>STARTTLS (RFC 6120 §5) with a real SslStream client and the generated certificate.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Starttls_then_scram_sha_256_login_and_bind()
    {
        await using var server = await TestServer.StartAsync("--Gateway:LoopbackIsSecure=false");
        await server.AddUserAsync("alice", "pencil");

        await using var client = await server.LoginAsync("alice", "pencil", "laptop", startTls: true);
        Assert.True(client.IsEncrypted);
        Assert.Equal("alice@localhost/laptop", client.Jid!.ToString());
        await client.PingSessionAsync();

        // The generated certificate names the domain (RFC 6125 DNS SAN).
        var certificate = client.ServerCertificate!;
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("conference.localhost"));
    }

    [Fact]
    public async Task Generated_certificate_is_persisted_and_reused()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));
        string thumbprint;
        byte[] file;
        await using (var server = await TestServer.StartInAsync(dataDirectory))
        {
            var provider = server.Services.GetRequiredService<CertificateProvider>();
            thumbprint = provider.Certificate!.Thumbprint;
            Assert.Equal(Path.Combine(dataDirectory, "localhost.pfx"), provider.GeneratedPath);
            file = await File.ReadAllBytesAsync(provider.GeneratedPath!);
        }

        // The test server deletes its folder on dispose; put the data folder back as a restart finds it.
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "localhost.pfx"), file);
        await using (var server = await TestServer.StartInAsync(dataDirectory))
        {
            Assert.Equal(thumbprint, server.Services.GetRequiredService<CertificateProvider>().Certificate!.Thumbprint);
        }
    }

    [Fact]
    public async Task Unreadable_certificate_file_is_replaced()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "localhost.pfx"), "not a certificate");
        await using var server = await TestServer.StartInAsync(dataDirectory, "--Gateway:LoopbackIsSecure=false");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", startTls: true);
        Assert.True(client.IsEncrypted);
    }

    [Fact]
    public async Task A_combined_pem_with_certificate_and_key_needs_no_key_path()
    {
        using var certificate = SelfSignedCertificate.Create("localhost");
        var combined = Path.Combine(NewDirectory(), "combined.pem");
        await File.WriteAllTextAsync(combined, certificate.ExportCertificatePem() + "\n" + certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        await using var server = await TestServer.StartAsync($"--Gateway:Tls:CertificatePath={combined}");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", startTls: true);
        Assert.Equal(certificate.Thumbprint, client.ServerCertificate!.Thumbprint);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_stops_the_start_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"), "absent.pem");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync($"--Gateway:Tls:CertificatePath={missing}"));
        Assert.StartsWith($"The TLS certificate {missing} cannot be used", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_pem_certificate_is_used()
    {
        var directory = NewDirectory();
        using var certificate = SelfSignedCertificate.Create("localhost");
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        await using var server = await TestServer.StartAsync($"--Gateway:Tls:CertificatePath={certPath}", $"--Gateway:Tls:KeyPath={keyPath}");
        await server.AddUserAsync("alice", "pencil");
        await using var client = await server.LoginAsync("alice", "pencil", startTls: true);
        Assert.Equal(certificate.Thumbprint, client.ServerCertificate!.Thumbprint);
    }

    [Fact]
    public async Task Data_after_starttls_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.OpenStreamAsync();
        await client.SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><presence/>");
        Assert.Equal("policy-violation", await client.ReadStreamErrorAsync());
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "xmpp-gateway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
