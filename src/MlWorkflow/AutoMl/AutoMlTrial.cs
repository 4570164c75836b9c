using MlWorkflow.Evaluation;
using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>One trial of a search: a trainer at one point of its hyperparameter space, scored on the validation rows.</summary>
public sealed class AutoMlTrial
{
    internal AutoMlTrial(int number, TrainerSpec trainer, AutoMlTrialStatus status, double? score, MetricSet? metrics, TimeSpan duration, string? error)
    {
        Number = number;
        Trainer = trainer;
        Status = status;
        ValidationScore = score;
        ValidationMetrics = metrics;
        Duration = duration;
        Error = error;
    }

    /// <summary>The trial's number, from 1, in the order the trials ran.</summary>
    public int Number { get; }

    /// <summary>The trainer and its hyperparameters.</summary>
    public TrainerSpec Trainer { get; }

    /// <summary>How the trial ended.</summary>
    public AutoMlTrialStatus Status { get; }

    /// <summary>The validation score of the optimised metric (the mean over folds under cross-validation), or null when the trial did not succeed.</summary>
    public double? ValidationScore { get; }

    /// <summary>Every validation metric (fold means under cross-validation), or null when the trial did not succeed.</summary>
    public MetricSet? ValidationMetrics { get; }

    /// <summary>The trial's wall time: training and scoring.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Why the trial did not succeed (the error message, shortened to 500 characters), or null.</summary>
    public string? Error { get; }

    /// <summary>The MLflow run of the trial (a child of the search's run), or null when the search is not tracked.</summary>
    public string? RunId { get; internal set; }

    /// <summary>The loss of the trial's worst validation fold (the pruning yardstick), or +∞ when it did not succeed.</summary>
    internal double WorstFoldLoss => FoldLosses.Length == 0 ? double.PositiveInfinity : FoldLosses.Max();

    /// <summary>The loss of every validation fold (empty when the trial did not succeed): the one-standard-error rule's spread.</summary>
    internal double[] FoldLosses { get; init; } = [];

    /// <summary>The validation labels and predictions of each fold, kept until the ensemble selection has taken them; then null.</summary>
    internal (IReadOnlyList<double[]> Labels, IReadOnlyList<float[]> Predictions)? Captured { get; set; }

    /// <summary>A description such as <c>#3 LightGbm(...) rmse=0.19 (1.2 s)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"#{Number} {Trainer} {(ValidationScore is { } s ? FormatScore(s) : Status.ToString())} ({Duration.TotalSeconds:F1} s)";

    private static string FormatScore(double score) => score.ToString("G5", System.Globalization.CultureInfo.InvariantCulture);
}
