using System.Text;
using Xmpp.Storage.Uploads;

namespace Xmpp.Storage.Tests;

/// <summary>What every <see cref="IUploadStore"/> provider must do; run once per provider.</summary>
public abstract class UploadStoreContract
{
    private static readonly DateTimeOffset Uploaded = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IUploadStore Store { get; }

    private static UploadedFile File(string slot, long size, DateTimeOffset? uploaded = null) =>
        new(slot, "Roméo & Juliette (acte 2).txt", "text/plain", size, uploaded ?? Uploaded);

    [Fact]
    public async Task A_stored_file_reads_back_with_its_name_type_size_and_time()
    {
        var slot = UploadSlotId.New();
        var bytes = Encoding.UTF8.GetBytes("Parting is such sweet sorrow");
        Assert.True(await Store.PutAsync(File(slot, bytes.Length), new MemoryStream(bytes)));

        await using var content = await Store.OpenAsync(slot);
        Assert.NotNull(content);
        Assert.Equal(File(slot, bytes.Length), content.File);
        using var read = new MemoryStream();
        await content.Stream.CopyToAsync(read);
        Assert.Equal(bytes, read.ToArray());

        // Seekable, for ranges: a resumed download starts in the middle.
        content.Stream.Position = 11;
        Assert.Equal("such sweet sorrow", await new StreamReader(content.Stream).ReadToEndAsync());
    }

    [Fact]
    public async Task A_slot_takes_one_file_and_a_second_upload_is_not_read()
    {
        var slot = UploadSlotId.New();
        Assert.True(await Store.PutAsync(File(slot, 3), new MemoryStream([1, 2, 3])));
        Assert.False(await Store.PutAsync(File(slot, 3), new ThrowingStream()));

        await using var content = await Store.OpenAsync(slot);
        Assert.Equal(3, content!.File.Size);
    }

    [Fact]
    public async Task An_upload_that_fails_midway_leaves_nothing_and_may_be_tried_again()
    {
        var slot = UploadSlotId.New();
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(File(slot, 10), new ThrowingStream(prefix: 4)));
        Assert.Null(await Store.OpenAsync(slot));

        Assert.True(await Store.PutAsync(File(slot, 2), new MemoryStream([7, 8])));
        await using var content = await Store.OpenAsync(slot);
        Assert.Equal(2, content!.File.Size);
    }

    [Fact]
    public async Task The_sweep_lists_files_uploaded_before_a_time_and_deletes_them()
    {
        var old = UploadSlotId.New();
        var recent = UploadSlotId.New();
        Assert.True(await Store.PutAsync(File(old, 1, DateTimeOffset.UtcNow - TimeSpan.FromDays(8)), new MemoryStream([1])));
        Assert.True(await Store.PutAsync(File(recent, 1, DateTimeOffset.UtcNow), new MemoryStream([2])));

        var expired = await Store.ListOlderThanAsync(DateTimeOffset.UtcNow - TimeSpan.FromDays(7)).ToListAsync();
        Assert.Contains(old, expired);
        Assert.DoesNotContain(recent, expired);

        await Store.DeleteAsync(old);
        await Store.DeleteAsync(old); // nothing left to delete is fine
        Assert.Null(await Store.OpenAsync(old));
        Assert.NotNull(await Store.OpenAsync(recent));
        Assert.DoesNotContain(old, await Store.ListOlderThanAsync(DateTimeOffset.UtcNow + TimeSpan.FromDays(1)).ToListAsync());
    }

    [Fact]
    public async Task Unknown_and_malformed_slots()
    {
        Assert.Null(await Store.OpenAsync(UploadSlotId.New()));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenAsync("../../etc/passwd"));
    }

    /// <summary>A body that breaks off (a client gone, a length check failing) after <paramref name="prefix"/> bytes.</summary>
    private sealed class ThrowingStream(int prefix = 0) : Stream
    {
        private int _left = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0)
            {
                throw new IOException("cut off");
            }

            var read = Math.Min(count, _left);
            _left -= read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
