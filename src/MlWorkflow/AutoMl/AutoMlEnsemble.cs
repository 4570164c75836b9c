using System.Globalization;
using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>
/// The ensemble a search chose as its final model (see <see cref="AutoMlOptions.BuildsEnsemble"/>): the trials it averages,
/// their weights, and its validation score on the same folds the trials were scored on.
/// </summary>
public sealed class AutoMlEnsemble
{
    internal AutoMlEnsemble(IReadOnlyList<AutoMlTrial> trials, IReadOnlyList<double> weights, double validationScore)
    {
        Trials = trials;
        Weights = weights;
        ValidationScore = validationScore;
    }

    /// <summary>The member trials, highest weight first.</summary>
    public IReadOnlyList<AutoMlTrial> Trials { get; }

    /// <summary>Each member's weight, in the order of <see cref="Trials"/>; they sum to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>
    /// The optimised metric of the weighted average of the members' validation predictions (the mean over folds under
    /// cross-validation). The members were chosen on these predictions, so it is a little optimistic, as the best trial's is.
    /// </summary>
    public double ValidationScore { get; }

    /// <summary>The ensemble as a trainer (<see cref="Trainers.Ensemble"/>), without the seed the final refit gave it.</summary>
    public TrainerSpec Trainer => Trainers.Ensemble([.. Trials.Select(t => t.Trainer)], Weights);

    /// <summary>A description such as <c>ensemble of #12 LightGbm (0.6), #3 FastTree (0.4): 0.995</c> (the validation score last).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"ensemble of {string.Join(", ", Trials.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"#{t.Number} {t.Trainer.Name} ({Weights[i]:0.##})")))}: {ValidationScore.ToString("G5", CultureInfo.InvariantCulture)}";
}
