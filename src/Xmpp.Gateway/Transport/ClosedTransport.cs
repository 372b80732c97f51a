using System.Net;
using System.Net.Security;

namespace Xmpp.Gateway.Transport;

/// <summary>
/// The transport of a session whose connection is gone for good but which lives on (a resumable
/// session waiting to be resumed, XEP-0198): nothing to read, nowhere to write. The session swaps its
/// real transport for this one, so that a hibernating session keeps no socket, parser or
/// connection context (a WebSocket's HTTP connection) alive. One instance serves every session.
/// </summary>
internal sealed class ClosedTransport : XmppTransport
{
    public static ClosedTransport Instance { get; } = new();

    private ClosedTransport()
    {
    }

    public override IPEndPoint? RemoteEndPoint => null;

    public override TransportKind Kind => TransportKind.Tcp;

    public override bool IsEncrypted => false;

    public override bool CanStartTls => false;

    public override bool IsAtElementBoundary => true;

    public override ValueTask<TransportReadStatus> ReadAsync(List<StreamEvent> events) => new(TransportReadStatus.Completed);

    public override void ResetStream(XmlParserLimits limits)
    {
    }

    public override void WriteStreamHeader(Element header)
    {
    }

    public override void WriteElement(Element element)
    {
    }

    public override void WriteStreamClose()
    {
    }

    public override void WriteKeepalive()
    {
    }

    public override ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default) => new(false);

    public override Task StartTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The connection is closed.");

    public override void CancelPendingRead()
    {
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Abort(string reason)
    {
    }

    public override ValueTask DrainAsync(TimeSpan timeout) => ValueTask.CompletedTask;

    public override ValueTask CompleteAsync() => ValueTask.CompletedTask;
}
