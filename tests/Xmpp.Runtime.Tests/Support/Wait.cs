namespace Xmpp.Runtime.Tests.Support;

/// <summary>Polling with a generous deadline: timing only decides how fast a test passes, never whether.</summary>
public static class Wait
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task Until(Func<bool> condition, string because)
    {
        var start = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - start > Deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Repeats a call that times out until one is answered, within the deadline.</summary>
    public static async Task<T> UntilAnswered<T>(Func<Task<T>> call)
    {
        var start = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await Within(call());
            }
            catch (TimeoutException) when (DateTime.UtcNow - start < Deadline)
            {
            }
        }
    }

    /// <summary>Fails when the task is not done within the deadline (so a hang fails the test instead of the run).</summary>
    public static async Task<T> Within<T>(Task<T> task)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)) != task)
        {
            Assert.Fail("The call did not complete in time.");
        }

        return await task;
    }

    public static async Task Within(Task task)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)) != task)
        {
            Assert.Fail("The call did not complete in time.");
        }

        await task;
    }
}
