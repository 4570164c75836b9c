using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.Diagnostics;

/// <summary>
/// The logger of REST calls when no <see cref="ILoggerFactory"/> is configured: warnings and errors on stderr, as Python's
/// logging shows MLflow's retry warnings by default, so that a call retried for a minute is never silent.
/// </summary>
internal sealed class StandardErrorLogger : ILogger
{
    public static readonly StandardErrorLogger Instance = new();

    private StandardErrorLogger()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine(SecretRedactor.Redact($"MlWorkflow {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception)}"));
        }
    }
}
