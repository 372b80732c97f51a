namespace Xmpp.Grains.Serialization;

/// <summary>Orleans' wire form of a <see cref="StreamError"/> (a Protocol type, which knows nothing of Orleans).</summary>
[GenerateSerializer]
public readonly record struct StreamErrorSurrogate([property: Id(0)] string Condition, [property: Id(1)] string? Text, [property: Id(2)] Element? ApplicationCondition);

[RegisterConverter]
public sealed class StreamErrorSurrogateConverter : IConverter<StreamError, StreamErrorSurrogate>
{
    public StreamError ConvertFromSurrogate(in StreamErrorSurrogate surrogate) => new(surrogate.Condition, surrogate.Text) { ApplicationCondition = surrogate.ApplicationCondition };

    public StreamErrorSurrogate ConvertToSurrogate(in StreamError value) => new(value.Condition, value.Text, value.ApplicationCondition);
}
