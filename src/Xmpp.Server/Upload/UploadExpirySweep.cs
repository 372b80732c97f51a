using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains;
using Xmpp.Storage.Uploads;

namespace Xmpp.Server.Upload;

/// <summary>
/// Deletes uploaded files older than <c>Xmpp:Upload:Expiry</c> (Prosody's daily prune): every
/// hour, or every expiry period when that is shorter. A GET refuses an expired file at once; the
/// sweep gives its space back. Every process sweeps the store it is configured with; deleting what
/// another process deleted already is harmless.
/// </summary>
internal sealed class UploadExpirySweep(IUploadStore store, IOptions<XmppOptions> options, TimeProvider clock, ILogger<UploadExpirySweep> logger) : BackgroundService
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expiry = options.Value.Upload.Expiry;
        if (expiry <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(expiry < LongestInterval ? expiry : LongestInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(clock.GetUtcNow() - expiry, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Deleting expired uploads failed; trying again at the next sweep");
            }
        }
    }

    private async Task SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var slot in store.ListOlderThanAsync(cutoff, cancellationToken))
        {
            await store.DeleteAsync(slot, cancellationToken);
            deleted++;
        }

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} uploaded files older than {Cutoff:u}", deleted, cutoff);
        }
    }
}
