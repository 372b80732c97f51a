using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains;

namespace Xmpp.Gateway.Tls;

/// <summary>
/// The server certificate for STARTTLS (RFC 6120 §5, §13.7.1): loaded from the configured PFX/PEM
/// file, or a self-signed one for the domain generated into the data folder on first start and
/// reused afterwards. Loaded once; the handshake context is shared by all connections.
/// </summary>
public sealed class CertificateProvider
{
    private readonly GatewayTlsOptions _options;
    private readonly string _domain;
    private readonly ILogger<CertificateProvider> _logger;
    private readonly Lazy<SslStreamCertificateContext?> _context;

    public CertificateProvider(IOptions<GatewayOptions> options, IOptions<XmppOptions> xmpp, ILogger<CertificateProvider> logger)
    {
        _options = options.Value.Tls;
        _domain = xmpp.Value.Domain;
        _logger = logger;
        _context = new Lazy<SslStreamCertificateContext?>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The certificate, or null when TLS is disabled (or there is no data folder to keep a generated one in).</summary>
    public X509Certificate2? Certificate => _context.Value?.TargetCertificate;

    /// <summary>The shared handshake context (chain built once, offline), or null without TLS.</summary>
    public SslStreamCertificateContext? Context => _context.Value;

    /// <summary>Where a generated certificate is kept.</summary>
    public string? GeneratedPath => _options.DataDirectory is null ? null : Path.Combine(_options.DataDirectory, $"{_domain}.pfx");

    private SslStreamCertificateContext? Load()
    {
        if (_options.Disabled)
        {
            return null;
        }

        try
        {
            var certificate = string.IsNullOrEmpty(_options.CertificatePath) ? LoadOrGenerate() : LoadConfigured(_options.CertificatePath);
            if (certificate is null)
            {
                return null;
            }

            return SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Never a server that quietly stops offering STARTTLS: the start fails, naming the file.
            var path = string.IsNullOrEmpty(_options.CertificatePath) ? GeneratedPath : _options.CertificatePath;
            throw new InvalidOperationException($"The TLS certificate {path} cannot be used: {e.Message}", e);
        }
    }

    private X509Certificate2 LoadConfigured(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        X509Certificate2 certificate;
        if (extension is ".pfx" or ".p12")
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, _options.Password);
        }
        else
        {
            // Without a key file the key is in the certificate's own PEM (a combined file).
            var keyPath = string.IsNullOrEmpty(_options.KeyPath) ? null : _options.KeyPath;
            using var pem = _options.Password is null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, _options.Password, keyPath);

            // Re-import so the key is persisted in a form every platform's TLS stack accepts.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new CryptographicException($"The certificate in {path} has no private key.");
        }

        _logger.LogInformation("TLS certificate {Subject} loaded from {Path}, valid until {NotAfter:u}", certificate.Subject, path, certificate.NotAfter);
        return certificate;
    }

    private X509Certificate2? LoadOrGenerate()
    {
        var path = GeneratedPath;
        if (path is null)
        {
            return null;
        }

        if (File.Exists(path))
        {
            try
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
                if (existing.NotAfter > DateTime.Now.AddDays(1) && existing.MatchesHostname(_domain))
                {
                    _logger.LogInformation("Using the self-signed TLS certificate {Path} for {Domain}", path, _domain);
                    return existing;
                }

                _logger.LogWarning("The generated certificate {Path} is expired or not for {Domain}; generating a new one", path, _domain);
                existing.Dispose();
            }
            catch (CryptographicException e)
            {
                _logger.LogWarning(e, "The generated certificate {Path} cannot be read; generating a new one", path);
            }
        }

        var generated = SelfSignedCertificate.Create(_domain);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // Written to a temporary file and renamed, so that servers starting side by side (tests)
        // never read a half-written file; the last rename wins and every version is valid.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, generated.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // it holds a private key
        }

        File.Move(temporary, path, overwrite: true);

        _logger.LogWarning(
            "Generated a self-signed TLS certificate for {Domain} at {Path}. Clients will not trust it; configure Gateway:Tls:CertificatePath for production",
            _domain,
            path);
        return generated;
    }
}
