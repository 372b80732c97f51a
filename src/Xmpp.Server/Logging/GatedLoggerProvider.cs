using Microsoft.Extensions.Logging;

namespace Xmpp.Server.Logging;

/// <summary>The console logger behind a <see cref="StartupLogGate"/>; configured as "Console" still.</summary>
[ProviderAlias("Console")]
internal sealed class GatedLoggerProvider(ILoggerProvider inner, StartupLogGate gate) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new GatedLogger(inner.CreateLogger(categoryName), gate);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    private sealed class GatedLogger(ILogger inner, StartupLogGate gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (gate.Silenced || gate.TryHold(() => inner.Log(logLevel, eventId, state, exception, formatter)))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
