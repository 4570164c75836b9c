using Microsoft.Extensions.Logging;

namespace MlWorkflow.Server;

/// <summary>The server's own log events (category <c>MlWorkflow.Server</c>), source-generated so a disabled level costs nothing.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, EventName = "RequestFailed", Level = LogLevel.Error, Message = "{Method} {Path} failed with {ErrorCode} (request {RequestId}).")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string? path, string errorCode, string requestId);

    [LoggerMessage(EventId = 101, EventName = "RequestRefused", Level = LogLevel.Debug, Message = "{Method} {Path} refused with {ErrorCode}.")]
    public static partial void RequestRefused(ILogger logger, Exception exception, string method, string? path, string errorCode);

    [LoggerMessage(EventId = 110, EventName = "JournalUnreadable", Level = LogLevel.Warning, Message = "Skipped the idempotency journal {File}: it cannot be read.")]
    public static partial void JournalUnreadable(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 111, EventName = "JournalRestored", Level = LogLevel.Information, Message = "Restored {Count} idempotency records from {Directory}.")]
    public static partial void JournalRestored(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 112, EventName = "JournalUnwritable", Level = LogLevel.Error, Message = "The idempotency journal in {Directory} cannot be written: retries across a server restart may be applied twice.")]
    public static partial void JournalUnwritable(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 113, EventName = "JournalNotDeleted", Level = LogLevel.Warning, Message = "Cannot delete the expired idempotency journal {File}.")]
    public static partial void JournalNotDeleted(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 120, EventName = "NotLoopback", Level = LogLevel.Warning,
        Message = "The tracking server listens on {Address}, not a loopback address, with no authentication: anyone who reaches it can read, change and delete runs. Turn on users and permissions (mlw server --auth, TrackingServerOptions.Auth), put it behind an authenticating proxy, or mount MapMlflow() in an application with authentication.")]
    public static partial void NotLoopback(ILogger logger, string address);
}
