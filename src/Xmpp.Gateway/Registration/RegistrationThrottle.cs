using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Xmpp.Gateway.Registration;

/// <summary>
/// Accounts created per remote address (<see cref="GatewayRegistrationOptions.MaxPerAddress"/> per
/// window), as Prosody's mod_register_limits throttles them; loopback is exempt. Per server
/// process: a cluster behind one load balancer multiplies the allowance by its processes at most.
/// </summary>
public sealed class RegistrationThrottle
{
    // Bounds the table against an attacker with many addresses; past it, windows that ended go.
    private const int MaxTrackedAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();
    private readonly GatewayRegistrationOptions _options;
    private readonly TimeProvider _time;

    public RegistrationThrottle(IOptions<GatewayOptions> options, TimeProvider time)
    {
        _options = options.Value.Registration;
        _time = time;
    }

    /// <summary>Counts a registration from <paramref name="address"/>; false (and not counted) when the address used up its allowance.</summary>
    public bool TryTake(IPAddress? address)
    {
        if (address is null || IPAddress.IsLoopback(address) || _options.MaxPerAddress <= 0)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (_windows.Count >= MaxTrackedAddresses)
        {
            foreach (var (ended, window) in _windows.Where(w => w.Value.Start + _options.AddressWindow <= now))
            {
                _windows.TryRemove(KeyValuePair.Create(ended, window));
            }
        }

        var entry = _windows.GetOrAdd(address, _ => new Window { Start = now });
        lock (entry)
        {
            if (entry.Start + _options.AddressWindow <= now)
            {
                entry.Start = now;
                entry.Count = 0;
            }

            if (entry.Count >= _options.MaxPerAddress)
            {
                return false;
            }

            entry.Count++;
            return true;
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }

        public int Count { get; set; }
    }
}
