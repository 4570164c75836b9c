using System.Globalization;

namespace MlWorkflow.Training;

public static partial class Trainers
{
    /// <summary>The name an ensemble is logged under (param <c>trainer</c>).</summary>
    internal const string EnsembleName = "Ensemble";

    /// <summary>
    /// An ensemble: every member is trained on the same rows and features, and the ensemble predicts the weighted average of
    /// their predictions: the <c>Score</c> of regression members, the <c>Probability</c> of binary members (its
    /// <c>Score</c> is then the log-odds of that average, and <c>PredictedLabel</c> is true where the average exceeds 0.5).
    /// Members that need normalised features get a min-max scaled copy of them, as the workflow scales them for a single
    /// linear trainer. The model is a plain ML.NET chain (members, then ML.NET's <c>Expression</c> transform), so it is saved,
    /// loaded and served as any other. An AutoML search builds one from its best trials when that scores as well as the best
    /// trial on the validation rows, within one standard error, or better (see <c>AutoMlOptions.Ensemble</c>).
    /// <code>
    /// Trainers.Ensemble([Trainers.Regression.FastTree(), Trainers.Regression.FastForest()], [0.7, 0.3])
    /// </code>
    /// </summary>
    /// <param name="members">The trainers, at least one, all of one task: regression or binary classification (a multiclass
    /// ensemble is not supported). Binary members must give probabilities (<see cref="TrainerSpec.ProducesProbability"/>);
    /// an ensemble cannot be a member.</param>
    /// <param name="weights">Each member's weight, finite and positive, as many as <paramref name="members"/>; they are
    /// scaled to sum to 1. The default is null: equal weights.</param>
    /// <returns>The spec; <see cref="TrainerSpec.Members"/> lists the members with their scaled weights.</returns>
    /// <exception cref="ArgumentException">No member; members of different tasks, of a multiclass task, without probabilities,
    /// or themselves ensembles; weights not matching the members, not finite or not positive.</exception>
    public static TrainerSpec Ensemble(IReadOnlyList<TrainerSpec> members, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member trainer.", nameof(members));
        }

        if (members.Any(m => m is null))
        {
            throw new ArgumentException("An ensemble member is null.", nameof(members));
        }

        var task = members[0].Task;
        if (members.FirstOrDefault(m => m.Task != task) is { } other)
        {
            throw new ArgumentException(
                $"Ensemble members must learn one task: {members[0].Name} is {TrainerSpec.TaskName(task)}, {other.Name} is {TrainerSpec.TaskName(other.Task)}.", nameof(members));
        }

        if (task == LearningTask.MulticlassClassification)
        {
            throw new ArgumentException(
                "An ensemble averages regression scores or binary probabilities; a multiclass ensemble is not supported. Train one multiclass trainer.", nameof(members));
        }

        if (members.FirstOrDefault(m => m.Members.Count > 0) is { } nested)
        {
            throw new ArgumentException($"An ensemble cannot be a member of an ensemble ({nested.Name}); list its members instead.", nameof(members));
        }

        if (task == LearningTask.BinaryClassification && members.FirstOrDefault(m => !m.ProducesProbability) is { } uncalibrated)
        {
            throw new ArgumentException(
                $"Binary ensemble members must give probabilities, which the ensemble averages; {uncalibrated.Name} gives none. Leave it out or use a calibrated trainer.", nameof(members));
        }

        var given = weights ?? [.. Enumerable.Repeat(1.0, members.Count)];
        if (given.Count != members.Count)
        {
            throw new ArgumentException($"An ensemble of {members.Count} members needs {members.Count} weights, not {given.Count}.", nameof(weights));
        }

        if (given.Any(w => !double.IsFinite(w) || w <= 0))
        {
            throw new ArgumentException("Ensemble weights must be finite and positive.", nameof(weights));
        }

        var total = given.Sum();
        var list = members.Select((m, i) => new EnsembleMember(m, given[i] / total)).ToArray();
        TrainerDescriptor descriptor = null!;
        descriptor = new TrainerDescriptor(
            EnsembleName,
            task,
            [],
            needsNormalization: false,
            producesProbability: true,
            build: values => new TrainerSpec(descriptor, values, context => new EnsembleEstimator(context, list, task), changes => Unchangeable(changes, descriptor))
            {
                Members = list,
            },
            needsCache: list.Any(m => m.Trainer.Descriptor.NeedsCache));
        return descriptor.Create();
    }

    private static TrainerSpec Unchangeable(IReadOnlyDictionary<string, object?> changes, TrainerDescriptor descriptor)
    {
        if (changes.Count == 0)
        {
            return descriptor.Create();
        }

        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"An ensemble has no hyperparameters of its own ('{changes.Keys.First()}'); change its members and build it again with Trainers.Ensemble."),
            nameof(changes));
    }
}
