namespace Xmpp.Gateway.Tests;

/// <summary>Waits for something the server does in the background (a session ending, a count dropping).</summary>
internal static class Eventually
{
    /// <param name="state">What to report when the time runs out (the figures that did not get there).</param>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? state = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, state);

    /// <summary>As <see cref="WaitUntilAsync(Func{bool}, TimeSpan?, Func{string}?)"/>, for a condition that must ask the server (over HTTP).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? XmppTestClient.DefaultTimeout);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The condition did not become true in time. {state?.Invoke()}");
            await Task.Delay(20);
        }
    }
}
