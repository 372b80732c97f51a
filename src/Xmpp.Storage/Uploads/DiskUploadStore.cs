using System.Text.Json;

namespace Xmpp.Storage.Uploads;

/// <summary>
/// Upload slots' files in one folder on the local disk: <c>SLOT</c> holds the bytes (its
/// modification time is the upload time) and <c>SLOT.json</c> the file name and content type. File
/// names come from slot ids only (<see cref="UploadSlotId"/>), never from clients.
/// </summary>
/// <remarks>
/// A file appears whole or not at all: the bytes go to <c>SLOT.RANDOM.part</c> and are renamed to
/// <c>SLOT</c> once complete, after the metadata, without replacing an existing file (so one of two
/// concurrent uploads of a slot wins). What a crash leaves (a part file, metadata without bytes)
/// is never served and goes with the expiry sweep, which lists every file by its age.
/// </remarks>
public sealed class DiskUploadStore(string directory) : IUploadStore
{
    private const string PartSuffix = ".part";
    private const string MetadataSuffix = ".json";

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task<bool> PutAsync(UploadedFile file, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(file.Slot);
        if (File.Exists(path))
        {
            return false;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var part = $"{path}.{Guid.NewGuid():N}{PartSuffix}";
        try
        {
            await using (var output = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(output, cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }

            await WriteMetadataAsync(file, cancellationToken);
            File.SetLastWriteTimeUtc(part, file.Uploaded.UtcDateTime);
            try
            {
                File.Move(part, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }

            return true;
        }
        finally
        {
            File.Delete(part); // gone already once renamed
        }
    }

    public async Task<UploadContent?> OpenAsync(string slot, CancellationToken cancellationToken = default)
    {
        var path = PathOf(slot);
        Stream? bytes = null;
        try
        {
            bytes = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            await using var json = File.OpenRead(path + MetadataSuffix);
            var metadata = await JsonSerializer.DeserializeAsync<Metadata>(json, cancellationToken: cancellationToken)
                ?? throw new InvalidDataException($"{path}{MetadataSuffix} is empty");
            var uploaded = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            return new UploadContent(new UploadedFile(slot, metadata.Name, metadata.Type, bytes.Length, uploaded), bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Never uploaded, or deleted meanwhile (the bytes go first, so metadata may be missing too).
            await DisposeAsync(bytes);
            return null;
        }
        catch
        {
            await DisposeAsync(bytes);
            throw;
        }
    }

    public Task DeleteAsync(string slot, CancellationToken cancellationToken = default)
    {
        var path = PathOf(slot);
        if (System.IO.Directory.Exists(Directory))
        {
            // The bytes first: metadata alone is never served.
            File.Delete(path);
            File.Delete(path + MetadataSuffix);
            foreach (var part in System.IO.Directory.EnumerateFiles(Directory, $"{slot}.*{PartSuffix}"))
            {
                File.Delete(part);
            }
        }

        return Task.CompletedTask;
    }

    public IAsyncEnumerable<string> ListOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return AsyncEnumerable.Empty<string>();
        }

        return new DirectoryInfo(Directory).EnumerateFiles()
            .Where(f => f.LastWriteTimeUtc < cutoff.UtcDateTime)
            .Select(f => f.Name.Split('.')[0])
            .Where(UploadSlotId.IsWellFormed)
            .Distinct(StringComparer.Ordinal)
            .ToAsyncEnumerable();
    }

    private async Task WriteMetadataAsync(UploadedFile file, CancellationToken cancellationToken)
    {
        var path = PathOf(file.Slot) + MetadataSuffix;
        var temporary = $"{path}.{Guid.NewGuid():N}{PartSuffix}";
        try
        {
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await JsonSerializer.SerializeAsync(output, new Metadata(file.FileName, file.ContentType), cancellationToken: cancellationToken);
                output.Flush(flushToDisk: true);
            }

            // Uploads of one slot carry the same signed name and type, so either may win here.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static ValueTask DisposeAsync(Stream? stream) => stream?.DisposeAsync() ?? ValueTask.CompletedTask;

    private string PathOf(string slot)
    {
        UploadSlotId.Check(slot);
        return Path.Combine(Directory, slot);
    }

    private sealed record Metadata(string Name, string Type);
}
