namespace MlWorkflow.AutoMl;

/// <summary>How a trial ended.</summary>
public enum AutoMlTrialStatus
{
    /// <summary>Trained and scored on the validation rows.</summary>
    Succeeded,

    /// <summary>The trainer threw; the error is recorded and the search went on.</summary>
    Failed,

    /// <summary>Stopped early as hopeless: its first cross-validation folds scored far below the best trial's.</summary>
    Pruned,

    /// <summary>Stopped because it would have overrun the time budget (ML.NET's training was cancelled).</summary>
    Stopped,
}
