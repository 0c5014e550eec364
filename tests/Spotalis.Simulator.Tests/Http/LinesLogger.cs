using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>Keeps every formatted log line, as an operator reading the simulator's stderr would see it.</summary>
internal sealed class LinesLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
