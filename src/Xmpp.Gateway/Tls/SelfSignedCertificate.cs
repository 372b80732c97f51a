using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Xmpp.Gateway.Tls;

/// <summary>A self-signed ECDSA P-256 server certificate for a domain and its subdomains (components).</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string domain, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={domain}"), key, HashAlgorithmName.SHA256);

        // RFC 6125 / RFC 7590: clients match the domain against DNS subjectAltNames. The wildcard
        // covers component hosts such as conference.<domain>.
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        names.AddDnsName("*." + domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + (lifetime ?? TimeSpan.FromDays(3 * 365)));

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
