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
    private readonly AddressTable<Window> _windows;
    private readonly GatewayRegistrationOptions _options;
    private readonly TimeProvider _time;

    public RegistrationThrottle(IOptions<GatewayOptions> options, TimeProvider time)
    {
        _options = options.Value.Registration;
        _time = time;
        _windows = new(HasEnded);
    }

    /// <summary>Counts a registration from <paramref name="address"/>; false (and not counted) when the address used up its allowance.</summary>
    public bool TryTake(IPAddress? address)
    {
        if (address is null || IPAddress.IsLoopback(address) || _options.MaxPerAddress <= 0)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (_windows.IsFull)
        {
            _windows.Sweep(now); // no heartbeat sweeps this table: windows that ended go when it fills
        }

        var entry = _windows.GetOrAdd(address, () => new Window { Start = now });
        lock (entry)
        {
            if (HasEnded(entry, now))
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

    private bool HasEnded(Window window, DateTimeOffset now) => window.Start + _options.AddressWindow <= now;

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }

        public int Count { get; set; }
    }
}
