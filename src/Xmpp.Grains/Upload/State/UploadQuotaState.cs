namespace Xmpp.Grains.Upload.State;

/// <summary>
/// The bytes an account requested slots for, in buckets of a 24th of the quota period each (an hour
/// for Prosody's daily quota), so the state stays a few entries however many slots it is asked for;
/// a bucket counts until all of it has left the period.
/// </summary>
public sealed class UploadQuotaState
{
    private const int BucketsPerPeriod = 24;

    public List<UploadQuotaBucket> Buckets { get; } = [];

    /// <summary>Counts <paramref name="size"/> bytes at <paramref name="now"/> unless that takes the period's total over <paramref name="quota"/>.</summary>
    public bool TryReserve(long size, long quota, TimeSpan period, DateTimeOffset now)
    {
        var length = period / BucketsPerPeriod;
        Buckets.RemoveAll(b => b.Start + length <= now - period);
        if (Buckets.Sum(b => b.Bytes) + size > quota)
        {
            return false;
        }

        if (Buckets.Count > 0 && Buckets[^1] is var last && now < last.Start + length)
        {
            Buckets[^1] = last with { Bytes = last.Bytes + size };
        }
        else
        {
            Buckets.Add(new UploadQuotaBucket(now, size));
        }

        return true;
    }
}
