using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>The log lines of REST calls (category <c>MlWorkflow.Tracking.Rest</c>), as source-generated logger messages.</summary>
internal static partial class RestLog
{
    [LoggerMessage(EventId = 1, EventName = "RestRetry", Level = LogLevel.Warning,
        Message = "MLflow API request {Endpoint} to {Server} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelaySeconds} s")]
    public static partial void Retrying(ILogger logger, string endpoint, string server, string reason, int retry, int maxRetries, string delaySeconds);

    [LoggerMessage(EventId = 2, EventName = "RestFailed", Level = LogLevel.Error,
        Message = "MLflow API request {Endpoint} to {Server} failed after {Attempts} attempt(s) over {ElapsedSeconds} s: {Reason}")]
    public static partial void GaveUp(ILogger logger, string endpoint, string server, int attempts, string elapsedSeconds, string reason);
}
