using System.Collections.Concurrent;
using Orleans;

namespace Xmpp.Grains.Tests;

/// <summary>Counts the grain and observer calls one silo makes, by "Interface.Method" (an Orleans outgoing call filter).</summary>
public sealed class CallCounter : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public int this[string method] => _calls.GetValueOrDefault(method);

    public void Reset() => _calls.Clear();

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        _calls.AddOrUpdate($"{context.InterfaceMethod?.DeclaringType?.Name ?? context.InterfaceName}.{context.MethodName}", 1, static (_, count) => count + 1);
        return context.Invoke();
    }
}
