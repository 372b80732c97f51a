using System.Threading.Channels;
using Xmpp.Grains;
using Xmpp.Protocol;
using Xmpp.Protocol.Xml;

namespace Xmpp.Grains.Tests;

/// <summary>A session that records what grains send it, batch by batch, for assertions.</summary>
public sealed class RecordingSession : ISessionObserver
{
    private readonly Channel<Element> _stanzas = Channel.CreateUnbounded<Element>();

    public List<IReadOnlyList<Element>> Batches { get; } = [];

    private readonly TaskCompletionSource<StreamError> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamError? ClosedWith { get; private set; }

    /// <summary>The stream error the session was closed with, waiting up to a few seconds for it.</summary>
    public Task<StreamError> ClosedAsync() => _closed.Task.WaitAsync(TimeSpan.FromSeconds(5));

    public Task SendAsync(IReadOnlyList<Element> stanzas)
    {
        lock (Batches)
        {
            Batches.Add(stanzas);
        }

        foreach (var stanza in stanzas)
        {
            _stanzas.Writer.TryWrite(stanza);
        }

        return Task.CompletedTask;
    }

    public Task CloseAsync(StreamError error)
    {
        ClosedWith = error;
        _closed.TrySetResult(error);
        return Task.CompletedTask;
    }

    /// <summary>What this session answers a resumption (XEP-0198) that asks for <see cref="ResumptionId"/>; nothing to hand over otherwise.</summary>
    public SessionHandOver? HandOver { get; set; }

    public string ResumptionId { get; set; } = "id";

    /// <summary>The client's h of the resumption that took this session over, once one did.</summary>
    public uint? HandedOverAt { get; private set; }

    public Task<SessionHandOver> HandOverAsync(string resumptionId, uint acknowledged)
    {
        if (HandOver is not { } handOver || resumptionId != ResumptionId)
        {
            return Task.FromResult(SessionHandOver.NotFound);
        }

        HandedOverAt = acknowledged;
        return Task.FromResult(handOver);
    }

    /// <summary>The next stanza this session received, waiting up to a few seconds for it.</summary>
    public async Task<Element> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await _stanzas.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("Expected a stanza, but none arrived within 5 s");
        }
    }

    /// <summary>Waits for the grains to settle, then discards everything received so far.</summary>
    public async Task<List<Element>> DrainAsync()
    {
        await Task.Delay(150);
        var drained = new List<Element>();
        while (_stanzas.Reader.TryRead(out var stanza))
        {
            drained.Add(stanza);
        }

        return drained;
    }

    /// <summary>Asserts that nothing more arrives within a short grace period.</summary>
    public async Task AssertNothingAsync()
    {
        await Task.Delay(150);
        if (_stanzas.Reader.TryRead(out var unexpected))
        {
            throw new Xunit.Sdk.XunitException($"Expected nothing, received {unexpected}");
        }
    }
}
