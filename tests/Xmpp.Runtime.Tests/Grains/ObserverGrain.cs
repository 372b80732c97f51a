namespace Xmpp.Runtime.Tests.Grains;

public interface IPingObserver : IGrainObserver
{
    void Ping(string message);
}

public interface IObserverGrain : IGrainWithStringKey
{
    Task SubscribeAsync(IPingObserver observer);

    /// <summary>Pings every live observer, prunes dead ones, returns how many were pinged.</summary>
    Task<int> PublishAsync(string message);

    Task<int> CountAsync();
}

public sealed class ObserverGrain : Grain, IObserverGrain
{
    private readonly List<IPingObserver> _observers = [];

    public Task SubscribeAsync(IPingObserver observer)
    {
        _observers.Add(observer);
        return Task.CompletedTask;
    }

    public Task<int> PublishAsync(string message)
    {
        _observers.RemoveAll(o => !ObserverReference.IsAlive(o));
        foreach (var observer in _observers)
        {
            observer.Ping(message);
        }

        return Task.FromResult(_observers.Count);
    }

    public Task<int> CountAsync() => Task.FromResult(_observers.Count);
}

/// <summary>An observer that records what it got and can be told to throw.</summary>
public sealed class RecordingObserver : IPingObserver
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Received { get; } = new();

    public bool Throw { get; set; }

    public void Ping(string message)
    {
        if (Throw)
        {
            throw new InvalidOperationException("observer failed");
        }

        Received.Enqueue(message);
    }
}
