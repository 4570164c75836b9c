using Microsoft.Extensions.Logging;

namespace MlWorkflow.AutoMl;

/// <summary>The log lines of an AutoML search (category of the <see cref="WorkflowOptions.Logger"/> given).</summary>
internal static partial class AutoMlLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "AutoML search started: task {Task}, label {Label}, metric {Metric}, {Trainers} trainers, budget {Budget}")]
    public static partial void Started(ILogger logger, Training.LearningTask task, string label, string metric, int trainers, TimeSpan? budget);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "AutoML featurised {Rows} training rows into {Features} features in {Milliseconds:F0} ms")]
    public static partial void Featurized(ILogger logger, long rows, int features, double milliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "AutoML trial {Number} {Trainer}: {Status}, score {Score}, {Milliseconds:F0} ms")]
    public static partial void Trial(ILogger logger, int number, string trainer, AutoMlTrialStatus status, double? score, double milliseconds);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "AutoML trial {Number} {Trainer} failed: {Error}")]
    public static partial void TrialFailed(ILogger logger, int number, string trainer, string error);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "AutoML chose trial {Number} {Trainer} (validation {Score}), a simpler model within one standard error of the best, trial {BestNumber} {BestTrainer} ({BestScore})")]
    public static partial void SimplerChosen(ILogger logger, int number, string trainer, double? score, int bestNumber, string bestTrainer, double? bestScore);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "AutoML chose an ensemble of {Members} trials ({Trials}), validation {Score}, over the best trial {BestNumber} ({BestScore})")]
    public static partial void EnsembleChosen(ILogger logger, int members, string trials, double score, int bestNumber, double? bestScore);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "AutoML search finished: {Trials} trials, best {Trainer} ({Metric} {Score} on validation), in {Milliseconds:F0} ms")]
    public static partial void Finished(ILogger logger, int trials, string trainer, string metric, double? score, double milliseconds);
}
