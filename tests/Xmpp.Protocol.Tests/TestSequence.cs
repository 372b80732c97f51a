namespace Xmpp.Protocol.Tests;

/// <summary>Builds multi-segment sequences, like a pipe reader's buffer after several reads.</summary>
internal static class TestSequence
{
    public static ReadOnlySequence<byte> Create(byte[] bytes, int segmentLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bytes.Length; i += segmentLength)
        {
            var segment = new Segment(bytes.AsMemory(i, Math.Min(segmentLength, bytes.Length - i)));
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Append(segment);
            }

            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
