using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Runtime.Storage;
using Xmpp.Runtime.Tests.Grains;

namespace Xmpp.Runtime.Tests.Support;

/// <summary>A service provider with the runtime, the test grains, a probe and captured logs.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public TestSilo(Action<GrainRuntimeOptions>? configure = null, IGrainStorage? storage = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddProvider(Logs));
        collection.AddGrainRuntime(options =>
        {
            options.ShutdownTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });
        if (storage is null)
        {
            collection.AddInMemoryStorage();
        }
        else
        {
            collection.AddSingleton(storage);
        }

        collection.AddSingleton(Probe);
        collection.AddGrain<ITestGrain, TestGrain>("test");
        collection.AddGrain<IStateGrain, StateGrain>("state");
        collection.AddGrain<IFlakyGrain, FlakyGrain>("flaky");
        collection.AddGrain<ITimerGrain, TimerGrain>("timer");
        collection.AddGrain<IObserverGrain, ObserverGrain>("observer");
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public Probe Probe { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _provider;

    public IGrainFactory Factory => _provider.GetRequiredService<IGrainFactory>();

    public GrainRuntime Runtime => _provider.GetRequiredService<GrainRuntime>();

    public IGrainStorage Storage => _provider.GetRequiredService<IGrainStorage>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
