using Orleans.Serialization.Cloning;

namespace Xmpp.Grains.Serialization;

/// <summary>
/// Deep copy of an <see cref="Element"/> for local calls whose arguments Orleans copies: a clone of
/// the tree (strings are shared, being immutable), no serialization. The stanza parameters of the
/// grain and observer interfaces are <see cref="ImmutableAttribute"/>, so the hot paths never copy.
/// </summary>
[RegisterCopier]
public sealed class ElementCopier : IDeepCopier<Element>
{
    public Element? DeepCopy(Element? input, CopyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input is null)
        {
            return null;
        }

        if (context.TryGetCopy<Element>(input, out var copy))
        {
            return copy;
        }

        copy = input.Clone();
        context.RecordCopy(input, copy);
        return copy;
    }
}
