using Microsoft.Extensions.Logging;

namespace MlWorkflow.Execution;

/// <summary>The log lines of a workflow run (category of the <see cref="WorkflowOptions.Logger"/> given).</summary>
internal static partial class WorkflowLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Workflow run started: trainer {Trainer}, label {Label}, seed {Seed}")]
    public static partial void Started(ILogger logger, string trainer, string label, int seed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Workflow stage {Stage} took {Milliseconds:F0} ms")]
    public static partial void StageDone(ILogger logger, string stage, double milliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Workflow run finished in {Milliseconds:F0} ms")]
    public static partial void Finished(ILogger logger, double milliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Workflow run cancelled")]
    public static partial void Cancelled(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Workflow run failed")]
    public static partial void Failed(ILogger logger, Exception error);
}
