namespace Xmpp.Server.Logging;

/// <summary>
/// Holds back the log while the server starts: when the start fails, every layer (Orleans'
/// membership, its lifecycle, the silo, the host) logs the same exception with its stack trace,
/// and the operator should see only the one line that names the cause (<c>Cannot start: …</c>).
/// A successful start writes what was held, in order; a failed one drops it, and everything the
/// failed host logs while it is torn down (its non-graceful stop warnings too).
/// </summary>
public sealed class StartupLogGate
{
    private List<Action>? _held;
    private bool _discarded;

    /// <summary>From now on, entries wait.</summary>
    public void Hold()
    {
        lock (this)
        {
            _held ??= [];
        }
    }

    /// <summary>The start succeeded: what waited is written, and nothing waits any more.</summary>
    public void Release()
    {
        List<Action>? held;
        lock (this)
        {
            held = _held;
            _held = null;
        }

        held?.ForEach(write => write());
    }

    /// <summary>The start failed and its cause is reported on its own: what waited is dropped, and all that follows.</summary>
    public void Discard()
    {
        lock (this)
        {
            _held = null;
            _discarded = true;
        }
    }

    /// <summary>True after a failed start: the host being torn down writes nothing.</summary>
    internal bool Silenced
    {
        get
        {
            lock (this)
            {
                return _discarded;
            }
        }
    }

    /// <summary>True when the entry was held (written later, or never).</summary>
    internal bool TryHold(Action write)
    {
        lock (this)
        {
            if (_held is null)
            {
                return false;
            }

            _held.Add(write);
            return true;
        }
    }
}
