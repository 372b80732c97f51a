using System.Reflection;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// The reference a caller holds (what <see cref="IGrainFactory.GetGrain{TGrain}"/> returns): a
/// generated implementation of the grain interface whose every call becomes a work item in the
/// activation's mailbox. It remembers the activation it last reached, so a call costs no
/// directory lookup while that activation lives.
/// </summary>
internal class GrainProxy : DispatchProxy
{
    private GrainType _type = null!;
    private string _key = null!;
    private Activation? _activation;

    internal static GrainProxy Create(GrainType type, string key, Activation? activation)
    {
        var proxy = (GrainProxy)Create(type.InterfaceType, typeof(GrainProxy));
        proxy._type = type;
        proxy._key = key;
        proxy._activation = activation;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        _type.Methods[targetMethod!].Call(this, args ?? []);

    /// <summary>Queues the item to the current activation of this key, creating it if needed. Never throws.</summary>
    internal void Send(IWorkItem item) => _type.Send(_key, item, ref _activation);

    public override string ToString() => $"{_type.Name}/{_key}";
}
