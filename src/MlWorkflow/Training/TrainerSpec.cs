using Microsoft.ML;

namespace MlWorkflow.Training;

/// <summary>
/// A trainer as a value: its task, its name and its validated hyperparameters, all reportable as params,
/// and the ML.NET estimator it creates. Get one from <see cref="Trainers"/>, for example
/// <c>Trainers.Regression.FastForest(trees: 100)</c> or <c>Trainers.Regression.FastForest(options)</c>,
/// from <see cref="TrainerDescriptor.Create"/>, or wrap any estimator with <see cref="Trainers.Custom"/>.
/// </summary>
public sealed class TrainerSpec
{
    private readonly IReadOnlyDictionary<string, object?> _values;
    private readonly Func<TrainerContext, IEstimator<ITransformer>> _create;
    private readonly Func<IReadOnlyDictionary<string, object?>, TrainerSpec> _with;

    internal TrainerSpec(
        TrainerDescriptor descriptor,
        IReadOnlyDictionary<string, object?> values,
        Func<TrainerContext, IEstimator<ITransformer>> create,
        Func<IReadOnlyDictionary<string, object?>, TrainerSpec> with,
        IReadOnlyList<string>? undescribedSettings = null)
    {
        Descriptor = descriptor;
        UndescribedSettings = undescribedSettings ?? [];
        _values = values;
        _create = create;
        _with = with;
        Hyperparameters = descriptor.Hyperparameters.ToDictionary(
            h => h.Name, h => values[h.Name] ?? HyperparameterDescriptor.Auto, StringComparer.Ordinal);
    }

    /// <summary>The catalog entry this spec is a point of: every hyperparameter's descriptor, and a way to build other points.</summary>
    public TrainerDescriptor Descriptor { get; }

    /// <summary>
    /// The members of an ML.NET options object this spec was made from that differ from the catalog's options but are not
    /// hyperparameters (for example <c>LossFunction</c>): generated code cannot write them. Empty for specs from the shortcuts
    /// or a descriptor.
    /// </summary>
    internal IReadOnlyList<string> UndescribedSettings { get; }

    /// <summary>The task the trainer learns.</summary>
    public LearningTask Task => Descriptor.Task;

    /// <summary>The trainer's name, as logged (for example <c>FastForest</c>).</summary>
    public string Name => Descriptor.Name;

    /// <summary>
    /// The hyperparameters by their logged names (snake case, one per entry of <see cref="TrainerDescriptor.Hyperparameters"/>);
    /// values are int, double, bool or string, and <c>auto</c> where ML.NET chooses.
    /// </summary>
    public IReadOnlyDictionary<string, object> Hyperparameters { get; }

    /// <summary>
    /// Whether a binary trainer outputs a calibrated <c>Probability</c> column (and so log-loss metrics).
    /// True for the other tasks.
    /// </summary>
    public bool ProducesProbability => Descriptor.ProducesProbability;

    /// <summary>
    /// Whether the trainer needs normalised features to converge (linear, gradient-based trainers). The workflow
    /// then appends a min-max normalisation of the <c>Features</c> vector after the feature steps, unless that
    /// vector is already marked normalised: ML.NET's normalisers mark their output, and a concatenation of
    /// columns that are all marked stays marked. So <c>f.NormalizeMeanVariance(...)</c> on every feature column
    /// replaces the automatic min-max scaling; normalising only some columns does not.
    /// </summary>
    public bool NeedsNormalization => Descriptor.NeedsNormalization;

    /// <summary>
    /// The trainer's own seed (<see cref="WithSeed"/>), or null: the trainer then draws from the workflow's seed (its ML.NET
    /// context), and trees use ML.NET's fixed default seed. Logged as <c>trainer_seed</c>.
    /// </summary>
    public int? Seed { get; private init; }

    /// <summary>
    /// The members of an ensemble (<see cref="Trainers.Ensemble"/>) with their weights, in order; empty for any other trainer.
    /// </summary>
    public IReadOnlyList<EnsembleMember> Members { get; internal init; } = [];

    /// <summary>
    /// The same trainer with a seed of its own: trainers with a <c>Seed</c> option (FastTree, FastForest, LightGBM) get it
    /// there, and the trainer is created in an ML.NET context seeded with it, which the others (SDCA's shuffles, ...) draw
    /// from. With the same data, seed and <see cref="WithThreads">one thread</see>, a fit repeats exactly.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <returns>A new spec; this one is unchanged.</returns>
    public TrainerSpec WithSeed(int seed) => new(Descriptor, _values, _create, _with) { Seed = seed, Members = Members };

    /// <summary>
    /// The same trainer on a set number of threads: its <c>threads</c> hyperparameter (ML.NET's <c>NumberOfThreads</c>, which
    /// the tree, SDCA, L-BFGS and LightGBM trainers have). Trainers without one (online gradient descent, averaged perceptron)
    /// train on one thread; they accept 1 only.
    /// </summary>
    /// <param name="threads">The number of threads, at least 1; 1 makes results repeat exactly.</param>
    /// <returns>A new spec; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">The trainer has no thread setting and <paramref name="threads"/> is more than 1.</exception>
    public TrainerSpec WithThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (Members.Count > 0)
        {
            // An ensemble: each member that has a thread setting gets it; the ensemble keeps its seed.
            var members = Members.Select(m => m.Trainer.Descriptor.Hyperparameters.Any(h => h.Name == ThreadsName) ? m.Trainer.WithThreads(threads) : m.Trainer);
            var threaded = Trainers.Ensemble([.. members], [.. Members.Select(m => m.Weight)]);
            return Seed is { } ensembleSeed ? threaded.WithSeed(ensembleSeed) : threaded;
        }

        if (Descriptor.Hyperparameters.Any(h => h.Name == ThreadsName))
        {
            return With(new Dictionary<string, object?> { [ThreadsName] = threads });
        }

        return threads == 1
            ? this
            : throw new ArgumentException($"Trainer {Name} trains on one thread; it has no thread setting, so only 1 is accepted.", nameof(threads));
    }

    /// <summary>Creates the ML.NET trainer.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="labelColumn">The label column. The default value is <c>Label</c>.</param>
    /// <param name="featureColumn">The feature vector column. The default value is <c>Features</c>.</param>
    /// <returns>The trainer estimator.</returns>
    public IEstimator<ITransformer> CreateEstimator(MLContext mlContext, string labelColumn = "Label", string featureColumn = "Features")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumn);
        return _create(new TrainerContext(Name, mlContext, labelColumn, featureColumn, _values, Seed))
            ?? throw new InvalidOperationException($"Trainer {Name}: its factory returned no estimator.");
    }

    /// <summary>
    /// The same trainer with some hyperparameters changed (the others, and any other setting of an ML.NET
    /// options object it was made from, are kept). For a tuner's local search around a point.
    /// </summary>
    /// <param name="changes">New values by hyperparameter name, validated as by <see cref="TrainerDescriptor.Create"/>.</param>
    /// <returns>A new spec; this one is unchanged.</returns>
    public TrainerSpec With(IReadOnlyDictionary<string, object?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var changed = _with(changes);
        return Seed is null ? changed : changed.WithSeed(Seed.Value);
    }

    /// <summary>
    /// The params to log: <c>trainer</c>, <c>task</c> and every hyperparameter, values in invariant culture; for an ensemble,
    /// <c>member_N</c> (the member's trainer and hyperparameters) and <c>member_N_weight</c> for each member, from 1.
    /// </summary>
    /// <returns>Name to value.</returns>
    public IReadOnlyDictionary<string, string> ToParams()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = Name,
            ["task"] = TaskName(Task),
        };
        foreach (var (key, value) in Hyperparameters)
        {
            result[key] = FormatValue(value);
        }

        for (var i = 0; i < Members.Count; i++)
        {
            // An ensemble's members, one param each (MLflow keeps param values up to 6,000 characters).
            var member = Members[i].Trainer.ToString();
            result[$"member_{i + 1}"] = member.Length <= 6000 ? member : string.Concat(member.AsSpan(0, 5999), "…");
            result[$"member_{i + 1}_weight"] = FormatValue(Members[i].Weight);
        }

        if (Seed is { } seed)
        {
            result[SeedName] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>A description such as <c>FastForest(trees=100, leaves=20)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Members.Count > 0
        ? $"{Name}({string.Join(" + ", Members)})"
        : $"{Name}({string.Join(", ", Hyperparameters.Select(p => $"{p.Key}={FormatValue(p.Value)}"))})";

    /// <summary>The param a trainer's own seed is logged as.</summary>
    internal const string SeedName = "trainer_seed";

    private const string ThreadsName = "threads";

    internal static string TaskName(LearningTask task) => task switch
    {
        LearningTask.Regression => "regression",
        LearningTask.BinaryClassification => "binary_classification",
        _ => "multiclass_classification",
    };

    internal static string FormatValue(object value) => HyperparameterDescriptor.Format(value);
}
