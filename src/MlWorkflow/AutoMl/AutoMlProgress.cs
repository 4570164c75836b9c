namespace MlWorkflow.AutoMl;

/// <summary>Where a search stands, reported after every trial to <see cref="AutoMlOptions.Progress"/>.</summary>
/// <param name="TrialsCompleted">Trials finished so far (whatever their status).</param>
/// <param name="TrialsFailed">Trials that failed, were pruned or stopped.</param>
/// <param name="Metric">The metric optimised (MLflow's name, for example <c>rmse</c>).</param>
/// <param name="BestScore">The best validation score so far, or null before the first successful trial.</param>
/// <param name="BestTrainer">The trainer of the best trial so far, or null.</param>
/// <param name="LastTrial">The trial just finished.</param>
/// <param name="Elapsed">Time since the search started.</param>
/// <param name="Remaining">Time left of the budget, or null without a time budget.</param>
public sealed record AutoMlProgress(
    int TrialsCompleted,
    int TrialsFailed,
    string Metric,
    double? BestScore,
    string? BestTrainer,
    AutoMlTrial LastTrial,
    TimeSpan Elapsed,
    TimeSpan? Remaining);
