using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Testing;

/// <summary>A real logger provider that keeps every line (category, level, formatted message, exception) for assertions (shared by every test project).</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    /// <summary>The lines so far, in the order they were logged.</summary>
    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <summary>The formatted messages so far, in order.</summary>
    public IReadOnlyList<string> Messages => [.. _lines.Select(l => l.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    internal sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
