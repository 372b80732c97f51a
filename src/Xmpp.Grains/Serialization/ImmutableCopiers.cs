using Orleans.Serialization.Cloning;

namespace Xmpp.Grains.Serialization;

/// <summary>A <see cref="Jid"/> never changes: a copy is the instance itself.</summary>
[RegisterCopier]
public sealed class JidCopier : IDeepCopier<Jid>, IOptionalDeepCopier
{
    public Jid? DeepCopy(Jid? input, CopyContext context) => input;

    public bool IsShallowCopyable() => true;
}

/// <summary>A <see cref="StreamError"/> is an immutable record: a copy is the instance itself.</summary>
[RegisterCopier]
public sealed class StreamErrorCopier : IDeepCopier<StreamError>, IOptionalDeepCopier
{
    public StreamError? DeepCopy(StreamError? input, CopyContext context) => input;

    public bool IsShallowCopyable() => true;
}
