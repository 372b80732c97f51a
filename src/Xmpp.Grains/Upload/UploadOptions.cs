namespace Xmpp.Grains.Upload;

/// <summary>
/// HTTP File Upload (XEP-0363), configuration section "Xmpp:Upload". Defaults are Prosody 0.12's
/// mod_http_file_share (its options of the same meaning in comments).
/// </summary>
public sealed class UploadOptions
{
    /// <summary>The service's domain; <c>upload.&lt;Domain&gt;</c> when empty.</summary>
    public string? Host { get; set; }

    /// <summary>Whether the service runs (it also needs an HTTP port or <see cref="PublicUrl"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The service's name in its disco#info identity ("HTTP File Upload" when empty), and in the server's disco#items only when set.</summary>
    public string? Name { get; set; }

    /// <summary>The largest file a slot is given for, in bytes (http_file_share_size_limit: 10 MiB).</summary>
    public long MaxFileSize { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Bytes one account may request slots for within <see cref="QuotaPeriod"/>
    /// (http_file_share_daily_quota: ten times <see cref="MaxFileSize"/> when unset); 0 for no quota.
    /// </summary>
    public long? QuotaPerAccount { get; set; }

    /// <summary>The window <see cref="QuotaPerAccount"/> counts in: a day, as Prosody; <see cref="Expiry"/> makes it a quota of the files an account has stored.</summary>
    public TimeSpan QuotaPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a file is kept after its upload (http_file_share_expires_after: a week); zero keeps files for ever.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Content types a slot may be requested for, <c>type/*</c> for a whole type (http_file_share_allowed_file_types); empty allows any.</summary>
    public IList<string> AllowedContentTypes { get; } = [];

    /// <summary>
    /// The base of the slots' URLs, e.g. <c>https://chat.example.org/upload</c> behind a proxy that
    /// terminates TLS and forwards <c>/upload/…</c> to the HTTP port (http_file_share_base_url);
    /// <c>http://&lt;Domain&gt;:&lt;HTTP port&gt;/upload</c> when empty.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The key slots are signed with (http_file_share_secret). Every process of a cluster must use
    /// the same; when empty one is generated once and kept in the configured storage for all.
    /// </summary>
    public string? Secret { get; set; }

    public string HostFor(string domain) => string.IsNullOrWhiteSpace(Host) ? "upload." + domain : Host;

    /// <summary>The quota in bytes, <see cref="QuotaPerAccount"/> or Prosody's default; 0 when there is none.</summary>
    public long AccountQuota => QuotaPerAccount ?? 10 * MaxFileSize;
}
