using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Transport;
using Xmpp.Protocol.Xml;
using Xmpp.Storage;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// The server runs with inline socket completions, so a read's continuation may run on a socket
/// engine's thread (a dedicated thread, not the pool). These tests stand in for that thread with
/// one of their own and check that what may block or take long leaves it, and that a client whose
/// data is always waiting cannot keep it.
/// </summary>
public sealed class IoThreadTests
{
    [Fact]
    public async Task Hop_leaves_a_dedicated_thread_and_costs_nothing_on_the_pool()
    {
        var resumedOnPool = await StartOnDedicatedThread(async () =>
        {
            Assert.False(Thread.CurrentThread.IsThreadPoolThread);
            await ThreadPoolHop.Ensure();
            return Thread.CurrentThread.IsThreadPoolThread;
        });
        Assert.True(resumedOnPool);

        Assert.True(await Task.Run(() => ThreadPoolHop.Ensure().IsCompleted)); // no hand-off when already there
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Account_lookup_runs_on_the_pool_and_its_caller_continues_there(bool storeCompletesOnItsOwnThread)
    {
        var store = new ThreadRecordingAccountStore(storeCompletesOnItsOwnThread);
        await store.CreateAsync(ScramCredentials.CreateAccount("alice", "pencil", 4096));
        var context = new SaslContext("localhost", store, openAuthentication: false, 4096, RandomNumberGenerator.GetBytes(32));

        var (account, continuedOnPool) = await StartOnDedicatedThread(async () =>
        {
            await ThreadPoolHop.Ensure(); // as the session does before a mechanism starts
            var found = await context.FindAccountAsync("alice", default);
            return (found, Thread.CurrentThread.IsThreadPoolThread);
        });

        Assert.Equal("alice", account?.Username);
        Assert.True(store.ReadOnPool, "the store was read on the I/O thread");
        Assert.True(continuedOnPool, "key derivation would run on the I/O thread");
    }

    [Fact]
    public async Task Tls_handshake_io_resumes_on_the_pool_and_later_io_does_not_hop()
    {
        var socket = new PendingStream();
        var stream = new TlsHandshakeStream(socket);

        Assert.True(await ReadCompletedOnDedicatedThread(stream, socket), "handshake work would run on the I/O thread");

        stream.HandshakeDone = true;
        Assert.False(await ReadCompletedOnDedicatedThread(stream, socket), "records are decrypted where they arrive");
    }

    [Fact]
    public async Task A_client_whose_data_is_always_waiting_gives_the_thread_up_after_a_bounded_number_of_reads()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();

        // A stream header, then more whitespace than the budget reads; all of it waiting at once.
        const int ReadSize = 4096;
        var flood = Encoding.UTF8.GetBytes(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>"
            + new string(' ', (SocketTransport.MaxReadsWithoutWaiting + 4) * ReadSize));
        // A send may take only part of what it is given (the kernel's buffers were full): the end
        // of input must come after all of it, or the reader would find it early.
        for (var sent = 0; sent < flood.Length;)
        {
            sent += await client.SendAsync(flood.AsMemory(sent));
        }

        client.Shutdown(SocketShutdown.Send); // a reader that never yields reads to the end instead
        await WaitUntil(() => server.Available >= (SocketTransport.MaxReadsWithoutWaiting + 1) * ReadSize);

        var transport = new SocketTransport(server, new XmlParserLimits(65536, 64, 64), tlsAvailable: false);
        var outcome = await StartOnDedicatedThread(() =>
        {
            var events = new List<StreamEvent>();
            for (var read = 1; ; read++)
            {
                events.Clear();
                var pending = transport.ReadAsync(events);
                if (!CompletedSynchronously(pending))
                {
                    // Data was waiting, so this read was handed to the pool (ThreadPoolHop).
                    return Task.FromResult((Reads: read, Remaining: pending.AsTask()));
                }

                Assert.Equal(TransportReadStatus.Data, pending.Result);
            }
        });

        Assert.Equal(SocketTransport.MaxReadsWithoutWaiting, outcome.Reads);
        Assert.Equal(TransportReadStatus.Data, await outcome.Remaining); // nothing lost by yielding
    }

    /// <summary>
    /// Whether a read finished before <c>ReadAsync</c> returned. Not <c>IsCompleted</c>: a read
    /// handed to the pool may already have finished there by the time the caller looks (on a busy
    /// machine it did, and the loop then read on past the hop to the end of input). A pooled
    /// ValueTask that never yielded carries its result and no source (its private <c>_obj</c>).
    /// </summary>
    private static bool CompletedSynchronously(ValueTask<TransportReadStatus> read) =>
        read.IsCompleted && typeof(ValueTask<TransportReadStatus>).GetField("_obj", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(read) is null;

    /// <summary>Runs <paramref name="body"/> on a new thread, as the socket engine runs a continuation.</summary>
    private static Task<T> StartOnDedicatedThread<T>(Func<Task<T>> body)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(body());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        });
        thread.Start();
        return started.Task.Unwrap();
    }

    /// <summary>A read that pends, completed from a dedicated thread: true when the reader resumed on the pool.</summary>
    private static async Task<bool> ReadCompletedOnDedicatedThread(Stream stream, PendingStream socket)
    {
        var read = stream.ReadAsync(new byte[16]).AsTask().ContinueWith(
            t => (t.Result, Thread.CurrentThread.IsThreadPoolThread),
            TaskContinuationOptions.ExecuteSynchronously);
        Assert.False(read.IsCompleted);
        var completer = new Thread(() => socket.Complete(5));
        completer.Start();
        var (count, onPool) = await read;
        Assert.Equal(5, count);
        return onPool;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 5000, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>A socket stand-in whose reads pend until <see cref="Complete"/> (completions run on the completing thread).</summary>
    private sealed class PendingStream : Stream
    {
        private TaskCompletionSource<int> _read = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Complete(int count)
        {
            var read = _read;
            _read = new TaskCompletionSource<int>();
            read.SetResult(count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(_read.Task);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Records whether it was read on the pool; optionally completes on a thread of its own, as a network store would.</summary>
    private sealed class ThreadRecordingAccountStore(bool completeOnItsOwnThread) : IAccountStore
    {
        private readonly InMemoryAccountStore _accounts = new();

        public bool ReadOnPool { get; private set; }

        public Task<Account?> FindAsync(string username, CancellationToken cancellationToken = default)
        {
            ReadOnPool = Thread.CurrentThread.IsThreadPoolThread;
            if (!completeOnItsOwnThread)
            {
                return _accounts.FindAsync(username, cancellationToken);
            }

            // Completed a little later, so that the caller is already waiting for it.
            var result = new TaskCompletionSource<Account?>();
            new Thread(() =>
            {
                Thread.Sleep(50);
                result.SetResult(_accounts.FindAsync(username, cancellationToken).GetAwaiter().GetResult());
            }).Start();
            return result.Task;
        }

        public Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default) => _accounts.CreateAsync(account, cancellationToken);

        public Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default) => _accounts.UpdateAsync(account, cancellationToken);

        public Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default) => _accounts.DeleteAsync(username, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => _accounts.ListAsync(cancellationToken);
    }
}
