using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>A logger provider that keeps every record it is given (category, level, message, exception), to assert what was logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Record> _records = new();

    /// <summary>The records so far, in order.</summary>
    public IReadOnlyList<Record> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    public void Dispose()
    {
    }

    /// <summary>One log record.</summary>
    public sealed record Record(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Record> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new Record(category, logLevel, formatter(state, exception), exception));
    }
}
