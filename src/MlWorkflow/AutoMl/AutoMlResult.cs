using MlWorkflow.Evaluation;
using MlWorkflow.Features;
using MlWorkflow.Training;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.AutoMl;

/// <summary>
/// What a search found: the winning pipeline as a plain <see cref="Workflow"/> (public feature steps and a trainer, so it
/// can be rerun, changed or written out as code), every trial with its validation score, and the final model refitted on
/// all the search rows and scored on the test rows the search never saw. Dispose it to delete the final run's temporary files.
/// </summary>
public sealed class AutoMlResult : IDisposable
{
    internal AutoMlResult(
        Workflow bestWorkflow,
        AutoMlTrial bestTrial,
        IReadOnlyList<AutoMlTrial> trials,
        string metric,
        bool higherIsBetter,
        WorkflowResult finalModel,
        IReadOnlyList<AutoMlFeatureNote> featureNotes,
        TimeSpan elapsed,
        TimeSpan? budget)
    {
        BestWorkflow = bestWorkflow;
        BestTrial = bestTrial;
        Trials = trials;
        Metric = metric;
        HigherIsBetter = higherIsBetter;
        FinalModel = finalModel;
        FeatureNotes = featureNotes;
        Elapsed = elapsed;
        Budget = budget;
    }

    /// <summary>
    /// The winner as a workflow: the data, the label, the seed, the test split (<c>Split(testFraction)</c>, the same rows the
    /// search held out), the feature steps (yours, then the automatic ones) and the best trainer. <c>RunAsync()</c> on it
    /// retrains the final model and reproduces <see cref="TestMetrics"/>.
    /// </summary>
    public Workflow BestWorkflow { get; }

    /// <summary>The feature steps of the winner (yours, then the automatic ones).</summary>
    public IReadOnlyList<FeatureStep> FeatureSteps => BestWorkflow.FeatureSteps;

    /// <summary>
    /// The winning trainer and its hyperparameters, as refitted: the best trial's, or the <see cref="Ensemble"/> of the best
    /// trials, with the search's seed as its own (<see cref="TrainerSpec.WithSeed"/>).
    /// </summary>
    public TrainerSpec BestTrainer => BestWorkflow.Trainer ?? BestTrial.Trainer;

    /// <summary>
    /// The trial refitted as the final model: the one with the best validation score, or, under cross-validation, the simplest
    /// within one standard error of it (<see cref="AutoMlOptions.PrefersSimpler"/>; <see cref="TopTrial"/> is then the best score).
    /// </summary>
    public AutoMlTrial BestTrial { get; }

    /// <summary>
    /// The validation score of the final model: the <see cref="Ensemble"/>'s when one was chosen, else <see cref="BestTrial"/>'s
    /// (the mean over folds under cross-validation). Compare with <see cref="TestMetrics"/>.
    /// </summary>
    public double ValidationScore => Ensemble?.ValidationScore ?? BestTrial.ValidationScore!.Value;

    /// <summary>Every trial, in the order it ran, failed and stopped ones included.</summary>
    public IReadOnlyList<AutoMlTrial> Trials { get; }

    /// <summary>The successful trials, best validation score first (ties: the earlier trial first).</summary>
    public IReadOnlyList<AutoMlTrial> Leaderboard => Trials
        .Where(t => t.Status == AutoMlTrialStatus.Succeeded)
        .OrderBy(t => HigherIsBetter ? -t.ValidationScore!.Value : t.ValidationScore!.Value)
        .ThenBy(t => t.Number)
        .ToArray();

    /// <summary>The metric optimised, by MLflow's name.</summary>
    public string Metric { get; }

    /// <summary>Whether a higher <see cref="Metric"/> is better (accuracy, AUC, R²) or a lower one (RMSE, log loss).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>The final model: the winner refitted on all the search rows, scored on the test rows (its model, schema and metrics).</summary>
    public WorkflowResult FinalModel { get; }

    /// <summary>The final model's metrics on the test rows the search never saw; compare with <see cref="ValidationScore"/>.</summary>
    public MetricSet TestMetrics => FinalModel.Metrics;

    /// <summary>What the automatic featurisation did with each column, and why (dropped columns included).</summary>
    public IReadOnlyList<AutoMlFeatureNote> FeatureNotes { get; }

    /// <summary>The search's wall time, the final refit included.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>The time budget, or null when only the trial count bounded the search.</summary>
    public TimeSpan? Budget { get; }

    /// <summary>The search's MLflow run (the parent of the trials' runs), or null when it was not tracked.</summary>
    public string? RunId { get; internal set; }

    /// <summary>The logged final model's URI (<c>runs:/&lt;id&gt;/model</c>), or null when the search was not tracked.</summary>
    public string? ModelUri { get; internal set; }

    /// <summary>The registered model version of the winner, or null when none was asked for.</summary>
    public ModelVersion? RegisteredVersion { get; internal set; }

    /// <summary>The number of cross-validation folds every trial was scored by, or null when it was scored on one holdout.</summary>
    public int? ValidationFolds { get; internal init; }

    /// <summary>How many times the k-fold split was repeated (with other fold seeds) to score each trial: 1 unless the search chose cross-validation for small data itself (see <see cref="AutoMlOptions.Folds"/>).</summary>
    public int ValidationRepeats { get; internal init; } = 1;

    /// <summary>
    /// The trial with the best validation score. <see cref="BestTrial"/>, the model refitted, is another trial when the
    /// one-standard-error rule chose a simpler one (see <see cref="AutoMlOptions.PrefersSimpler"/>).
    /// </summary>
    public AutoMlTrial? TopTrial { get; internal init; }

    /// <summary>
    /// The ensemble refitted as the final model, or null when a single trial was (see <see cref="AutoMlOptions.BuildsEnsemble"/>).
    /// <see cref="BestTrainer"/> is then the ensemble, and <see cref="BestTrial"/> the best-scoring trial, usually one of its
    /// members (not when it cannot be averaged: a binary trainer without probabilities).
    /// </summary>
    public AutoMlEnsemble? Ensemble { get; internal init; }

    /// <summary>The search rows (everything but the test rows), for tests that check the test rows were never seen.</summary>
    internal Microsoft.ML.IDataView? SearchRows { get; init; }

    /// <summary>Deletes the final run's temporary files.</summary>
    public void Dispose() => FinalModel.Dispose();
}
