using System.Text;
using Xmpp.Protocol.Xml;

namespace Xmpp.Bench.Micro;

/// <summary>
/// The streaming parser on a bound stream: bytes of many stanzas in, one element each out,
/// fed in 4 KiB reads as a socket delivers them (so tokens cross read boundaries).
/// </summary>
public sealed class ParseBenchmark : MicroBenchmark
{
    private const int ReadSize = 4096;
    private readonly byte[] _stanza;
    private readonly List<StreamEvent> _events = new(256);
    private XmlStreamParser _parser = new();
    private byte[] _input = [];

    public ParseBenchmark(string name, string stanza)
    {
        Name = name;
        _stanza = Encoding.UTF8.GetBytes(stanza);
    }

    public override string Name { get; }

    public override int BytesPerOperation => _stanza.Length;

    public override ValueTask SetupAsync(int operations)
    {
        if (_input.Length != _stanza.Length * operations)
        {
            _input = new byte[_stanza.Length * operations];
            for (var i = 0; i < operations; i++)
            {
                _stanza.CopyTo(_input, i * _stanza.Length);
            }
        }

        _parser = new XmlStreamParser();
        _parser.Parse(Encoding.UTF8.GetBytes(Samples.StreamHeader), _events);
        _events.Clear();
        return ValueTask.CompletedTask;
    }

    public override ValueTask RunAsync(int operations)
    {
        var received = 0;
        for (var offset = 0; offset < _input.Length; offset += ReadSize)
        {
            _parser.Parse(_input.AsSpan(offset, Math.Min(ReadSize, _input.Length - offset)), _events);
            received += _events.Count;
            _events.Clear();
        }

        if (received != operations)
        {
            throw new InvalidOperationException($"parsed {received} stanzas, expected {operations}");
        }

        return ValueTask.CompletedTask;
    }
}
