using Microsoft.ML;

namespace MlWorkflow.Training;

/// <summary>
/// A trainer of the catalog as a tuner sees it: its name, task, traits and every hyperparameter it takes, and a way
/// to build a <see cref="TrainerSpec"/> from any point of that space. <see cref="Trainers.All"/> lists the built-in
/// ones; the public constructor makes one for any ML.NET estimator.
/// <code>
/// foreach (var trainer in Trainers.For(LearningTask.Regression))
/// {
///     var spec = trainer.Create(new Dictionary&lt;string, object?&gt; { ["leaves"] = 64 });
/// }
/// </code>
/// </summary>
public sealed class TrainerDescriptor
{
    // Params the workflow logs beside the trainer's (see Workflow.GetParams).
    private static readonly string[] ReservedNames =
    [
        "trainer", "task", "seed", "label", "split", "test_fraction", "cv_folds", "feature_steps",
        "split_stratify", "split_group", "split_column", "split_test_from", "test_data", "cv_refit", "time_limit_s", TrainerSpec.SeedName,
    ];

    private readonly Func<IReadOnlyDictionary<string, object?>, TrainerSpec> _build;

    /// <summary>Describes a trainer made by any ML.NET estimator, so that it is trained, evaluated, tracked and tuned as the built-in ones.</summary>
    /// <param name="name">The trainer's name, as logged (param <c>trainer</c>).</param>
    /// <param name="task">The task it learns.</param>
    /// <param name="hyperparameters">Its hyperparameters, with distinct names other than the workflow's own params (<c>trainer</c>, <c>task</c>, <c>seed</c>, <c>label</c>, <c>split</c>, ...); the values reach <paramref name="createEstimator"/> through <see cref="TrainerContext.Get{T}"/>.</param>
    /// <param name="createEstimator">
    /// Builds the estimator; it must read <see cref="TrainerContext.LabelColumn"/> and <see cref="TrainerContext.FeatureColumn"/>
    /// and write the task's usual columns (<c>Score</c>, and <c>PredictedLabel</c> for classification).
    /// </param>
    /// <param name="needsNormalization">Whether the features must be normalised first (see <see cref="TrainerSpec.NeedsNormalization"/>). The default value is false.</param>
    /// <param name="producesProbability">Whether a binary trainer writes a calibrated <c>Probability</c> column. The default value is true.</param>
    /// <param name="needsCache">Whether the trainer passes over the rows many times, so the workflow caches them first (see <see cref="NeedsCache"/>). The default value is false.</param>
    public TrainerDescriptor(
        string name,
        LearningTask task,
        IEnumerable<HyperparameterDescriptor> hyperparameters,
        Func<TrainerContext, IEstimator<ITransformer>> createEstimator,
        bool needsNormalization = false,
        bool producesProbability = true,
        bool needsCache = false)
        : this(name, task, hyperparameters, needsNormalization, producesProbability, null!, needsCache)
    {
        ArgumentNullException.ThrowIfNull(createEstimator);
        _build = values => new TrainerSpec(this, values, createEstimator, changes => Create(Merge(values, changes)));
    }

    internal TrainerDescriptor(
        string name,
        LearningTask task,
        IEnumerable<HyperparameterDescriptor> hyperparameters,
        bool needsNormalization,
        bool producesProbability,
        Func<IReadOnlyDictionary<string, object?>, TrainerSpec> build,
        bool needsCache = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!Enum.IsDefined(task))
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown learning task.");
        }

        var list = hyperparameters.ToArray();
        if (list.Any(h => h is null))
        {
            throw new ArgumentException($"Trainer {name}: a hyperparameter descriptor is null.", nameof(hyperparameters));
        }

        var repeated = list.GroupBy(h => h.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"Trainer {name}: hyperparameter '{repeated.Key}' is described twice; names must be distinct.", nameof(hyperparameters));
        }

        var reserved = list.FirstOrDefault(h => ReservedNames.Contains(h.Name) || h.Name.StartsWith("feature_step_", StringComparison.Ordinal));
        if (reserved is not null)
        {
            throw new ArgumentException(
                $"Trainer {name}: hyperparameter '{reserved.Name}' would clash with a param the workflow logs ({string.Join(", ", ReservedNames)}, feature_step_N); rename it.",
                nameof(hyperparameters));
        }

        Name = name;
        Task = task;
        Hyperparameters = list;
        NeedsNormalization = needsNormalization;
        ProducesProbability = task != LearningTask.BinaryClassification || producesProbability;
        NeedsCache = needsCache;
        _build = build;
    }

    /// <summary>The trainer's name, as logged (for example <c>FastForest</c>).</summary>
    public string Name { get; }

    /// <summary>The task it learns.</summary>
    public LearningTask Task { get; }

    /// <summary>Every hyperparameter it takes, in a stable order; a spec logs one param per entry.</summary>
    public IReadOnlyList<HyperparameterDescriptor> Hyperparameters { get; }

    /// <summary>Whether it needs normalised features (see <see cref="TrainerSpec.NeedsNormalization"/>).</summary>
    public bool NeedsNormalization { get; }

    /// <summary>Whether a binary trainer writes a calibrated <c>Probability</c> column; true for the other tasks.</summary>
    public bool ProducesProbability { get; }

    /// <summary>
    /// Whether the trainer passes over the rows many times (SDCA, L-BFGS, the online linear learners): the workflow then
    /// caches the featurised rows in memory before it (ML.NET's <c>AppendCacheCheckpoint</c>), so each pass reads memory
    /// rather than the source, and a trainer that shuffles does so on every source alike. Tree trainers and LightGBM copy the
    /// rows into their own structure in one pass and need no cache.
    /// </summary>
    public bool NeedsCache { get; }

    /// <summary>The descriptor of a hyperparameter by name.</summary>
    /// <param name="name">The name, for example <c>leaves</c>.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="KeyNotFoundException">The trainer has no such hyperparameter; the message lists the ones it has.</exception>
    public HyperparameterDescriptor Hyperparameter(string name) =>
        Hyperparameters.FirstOrDefault(h => h.Name == name) ?? throw new KeyNotFoundException(Unknown(name));

    /// <summary>Builds the trainer at one point of its hyperparameter space; a hyperparameter not given takes its <see cref="HyperparameterDescriptor.Default"/>.</summary>
    /// <param name="values">Values by hyperparameter name (any numeric type or invariant text; see <see cref="HyperparameterDescriptor.Validate"/>). The default is none: every default.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">A name is unknown, or a value is missing or of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public TrainerSpec Create(IReadOnlyDictionary<string, object?>? values = null) => _build(Resolve(values));

    /// <summary>The trainer's name and hyperparameters.</summary>
    /// <returns>For example <c>FastForest (regression): trees, leaves, ...</c>.</returns>
    public override string ToString() =>
        $"{Name} ({TrainerSpec.TaskName(Task)}): {string.Join(", ", Hyperparameters.Select(h => h.Name))}";

    internal static IReadOnlyDictionary<string, object?> Merge(IReadOnlyDictionary<string, object?> values, IReadOnlyDictionary<string, object?> changes)
    {
        var merged = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }

        return merged;
    }

    // Every name known, every value valid, every hyperparameter present.
    internal IReadOnlyDictionary<string, object?> Resolve(IReadOnlyDictionary<string, object?>? values)
    {
        var given = values ?? new Dictionary<string, object?>();
        foreach (var key in given.Keys)
        {
            if (!Hyperparameters.Any(h => h.Name == key))
            {
                throw new ArgumentException(Unknown(key), nameof(values));
            }
        }

        var resolved = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var descriptor in Hyperparameters)
        {
            resolved[descriptor.Name] = given.TryGetValue(descriptor.Name, out var value)
                ? descriptor.Validate(value, Name)
                : descriptor.Default ?? descriptor.Validate(null, Name);
        }

        return resolved;
    }

    private string Unknown(string name)
    {
        var shown = name.Length > 200 ? name[..200] + "…" : name;
        return $"Trainer {Name} has no hyperparameter '{shown}'; it has: {string.Join(", ", Hyperparameters.Select(h => h.Name))}.";
    }
}
