namespace Xmpp.Bench.Micro;

/// <summary>
/// One micro-benchmark: an operation on one stanza, run many times. Allocation is measured on the
/// calling thread unless <see cref="AllThreads"/> (work that hops threads, like a grain turn).
/// </summary>
public abstract class MicroBenchmark : IAsyncDisposable
{
    /// <summary>The key in allocation-budgets.json.</summary>
    public abstract string Name { get; }

    /// <summary>Bytes of XML one operation processes (for MB/s).</summary>
    public abstract int BytesPerOperation { get; }

    /// <summary>Whether allocations happen on other threads too (measured process-wide then).</summary>
    public virtual bool AllThreads => false;

    /// <summary>Prepares <paramref name="operations"/> operations (outside the measurement).</summary>
    public virtual ValueTask SetupAsync(int operations) => ValueTask.CompletedTask;

    /// <summary>Runs the operations prepared by the last <see cref="SetupAsync"/>.</summary>
    public abstract ValueTask RunAsync(int operations);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
