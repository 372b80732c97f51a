using Xmpp.Server;

// Socket continuations run on the socket engine's threads (one per core) instead of being queued
// to the thread pool: a stanza read is parsed and handed to its grain without a thread hand-off,
// which measured +35 % logins per CPU-second and a lower p99 (bench/findings.md, "Thread
// hand-offs"). What may block or take long leaves those threads first (ThreadPoolHop in the
// gateway). The runtime reads the variable once, when the first socket is registered, so it is set
// before anything else runs; DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 in the environment
// turns it off.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

return await ServerProgram.RunAsync(args);
