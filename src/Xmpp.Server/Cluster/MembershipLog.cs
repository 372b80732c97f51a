using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Xmpp.Server.Cluster;

/// <summary>
/// Logs each change in the cluster's membership as this silo sees it (a silo joining, becoming
/// active, shutting down, declared dead), at information level under its own category: Orleans'
/// own membership log is verbose and kept at warnings, and operators want these few lines.
/// </summary>
internal sealed class MembershipLog(IClusterMembershipService membership, ILogger<MembershipLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var (address, member) in snapshot.Members)
                {
                    if (!known.TryGetValue(address, out var before) || before != member.Status)
                    {
                        known[address] = member.Status;
                        logger.LogInformation("Cluster member {Silo} ({Name}) is {Status}", address, member.Name, member.Status);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
