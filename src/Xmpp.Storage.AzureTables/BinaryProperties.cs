using Azure.Data.Tables;

namespace Xmpp.Storage.AzureTables;

/// <summary>
/// Bytes in the binary properties <c>D0</c>, <c>D1</c>, … of an entity, 64 KiB each (the most a
/// property holds): how both stores keep data that may exceed one property.
/// </summary>
internal static class BinaryProperties
{
    public const int PropertyBytes = 64 * 1024;

    /// <summary>Writes <paramref name="data"/> from <paramref name="start"/> into at most <paramref name="maxProperties"/> properties.</summary>
    public static void Write(TableEntity entity, ReadOnlyMemory<byte> data, int start, int maxProperties)
    {
        for (var p = 0; p < maxProperties; p++)
        {
            var from = start + (p * PropertyBytes);
            if (from >= data.Length)
            {
                break;
            }

            entity["D" + p] = data.Slice(from, Math.Min(PropertyBytes, data.Length - from)).ToArray();
        }
    }

    /// <summary>Copies the entity's properties into <paramref name="data"/> at <paramref name="offset"/>; returns the offset after them.</summary>
    public static int Read(TableEntity entity, byte[] data, int offset, int maxProperties)
    {
        for (var p = 0; p < maxProperties && entity.GetBinary("D" + p) is { } part; p++)
        {
            part.CopyTo(data, offset);
            offset += part.Length;
        }

        return offset;
    }
}
