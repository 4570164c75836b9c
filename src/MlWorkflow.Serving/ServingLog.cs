using Microsoft.Extensions.Logging;

namespace MlWorkflow.Serving;

/// <summary>The scoring server's log events (category <c>MlWorkflow.Serving</c>), source-generated so a disabled level costs nothing.</summary>
internal static partial class ServingLog
{
    [LoggerMessage(EventId = 200, EventName = "ModelLoading", Level = LogLevel.Information, Message = "Loading model {ModelUri}.")]
    public static partial void ModelLoading(ILogger logger, string modelUri);

    [LoggerMessage(EventId = 201, EventName = "ModelLoaded", Level = LogLevel.Information, Message = "Serving model {ModelUri} (version {Version}, run {RunId}): {Task}, inputs {Inputs}, evaluated by {Evaluator}; loaded in {ElapsedMs} ms.")]
    public static partial void ModelLoaded(ILogger logger, string modelUri, string version, string runId, string task, string inputs, string evaluator, long elapsedMs);

    [LoggerMessage(EventId = 202, EventName = "ModelLoadFailed", Level = LogLevel.Error, Message = "Cannot load model {ModelUri}.")]
    public static partial void ModelLoadFailed(ILogger logger, Exception exception, string modelUri);

    [LoggerMessage(EventId = 203, EventName = "ModelSwapped", Level = LogLevel.Information, Message = "{ModelUri} moved from version {OldVersion} to {NewVersion}: now serving it (loaded in {ElapsedMs} ms).")]
    public static partial void ModelSwapped(ILogger logger, string modelUri, string oldVersion, string newVersion, long elapsedMs);

    [LoggerMessage(EventId = 204, EventName = "FollowFailed", Level = LogLevel.Warning, Message = "Cannot follow {ModelUri} in the registry; version {Version} keeps serving.")]
    public static partial void FollowFailed(ILogger logger, Exception exception, string modelUri, string version);

    [LoggerMessage(EventId = 210, EventName = "RequestRefused", Level = LogLevel.Debug, Message = "/invocations refused with {StatusCode} {ErrorCode}: {Message}")]
    public static partial void RequestRefused(ILogger logger, int statusCode, string errorCode, string message);

    [LoggerMessage(EventId = 211, EventName = "ModelFailed", Level = LogLevel.Warning, Message = "The model failed on a request (answered 400).")]
    public static partial void ModelFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 212, EventName = "RequestFailed", Level = LogLevel.Error, Message = "/invocations failed (answered 500).")]
    public static partial void RequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 213, EventName = "Scored", Level = LogLevel.Debug, Message = "Scored {Rows} rows with version {Version} in {ElapsedMs:F2} ms.")]
    public static partial void Scored(ILogger logger, int rows, string version, double elapsedMs);

    [LoggerMessage(EventId = 220, EventName = "NotLoopback", Level = LogLevel.Warning, Message = "The model server listens on {Address}, not a loopback address, without a bearer token: anyone who reaches it can call the model.")]
    public static partial void NotLoopback(ILogger logger, string address);
}
