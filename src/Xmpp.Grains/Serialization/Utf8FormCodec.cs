using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Xmpp.Grains.Serialization;

/// <summary>
/// Orleans' wire format for a type that has an exact UTF-8 text form (XML for an element, the
/// prepared string for a JID): the bytes, length-prefixed, read back through the type's own parser.
/// </summary>
public abstract class Utf8FormCodec<T> : IFieldCodec<T>
    where T : class
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, T? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(T), WireType.LengthPrefixed);
        var utf8 = Encode(value!);
        writer.WriteVarUInt32((uint)utf8.Length);
        writer.Write(utf8);
    }

    public T ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<T, TInput>(ref reader, field)!;
        }

        field.EnsureWireType(WireType.LengthPrefixed);
        var length = reader.ReadVarUInt32();
        var value = Decode(reader.ReadBytes(length));
        ReferenceCodec.RecordObject(reader.Session, value);
        return value;
    }

    protected abstract byte[] Encode(T value);

    protected abstract T Decode(byte[] utf8);
}
