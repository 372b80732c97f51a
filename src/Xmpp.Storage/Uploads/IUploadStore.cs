namespace Xmpp.Storage.Uploads;

/// <summary>
/// The files of HTTP upload slots (XEP-0363), one per slot id: on the local disk or in Azure Blob
/// Storage. A slot's file is written once and never replaced; every provider passes the same
/// contract tests.
/// </summary>
public interface IUploadStore
{
    /// <summary>
    /// Stores <paramref name="content"/> as the slot's file, durable and visible only once all of it
    /// was read: a content stream that throws leaves nothing behind. False, without reading the
    /// content, when the slot already has a file (also when a concurrent upload of it won).
    /// </summary>
    Task<bool> PutAsync(UploadedFile file, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The slot's file and a seekable stream of its bytes (the caller disposes it), or null when it has none.</summary>
    Task<UploadContent?> OpenAsync(string slot, CancellationToken cancellationToken = default);

    /// <summary>Deletes the slot's file; nothing when it has none.</summary>
    Task DeleteAsync(string slot, CancellationToken cancellationToken = default);

    /// <summary>The slots whose files were uploaded before <paramref name="cutoff"/> (the expiry sweep's list).</summary>
    IAsyncEnumerable<string> ListOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
