using System.Buffers;
using Xmpp.Protocol.Xml;

namespace Xmpp.Bench.Micro;

/// <summary>The stanza writer: one element to UTF-8 into a reused buffer, as the session writer does.</summary>
public sealed class SerializeBenchmark(string name, string stanza) : MicroBenchmark
{
    private readonly Element _element = XmlText.Parse(stanza);
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);

    public override string Name { get; } = name;

    public override int BytesPerOperation { get; } = XmlText.Serialize(XmlText.Parse(stanza)).Length;

    public override ValueTask RunAsync(int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            if (_output.FreeCapacity < 4096)
            {
                _output.ResetWrittenCount();
            }

            StanzaWriter.Write(_output, _element);
        }

        return ValueTask.CompletedTask;
    }
}
