using System.Globalization;
using Microsoft.ML;

namespace MlWorkflow.Training;

/// <summary>
/// A trainer as a value: its task, its name and its validated hyperparameters, all reportable as params,
/// and the ML.NET estimator it creates. Get one from <see cref="Trainers"/>, for example
/// <c>Trainers.Regression.FastForest(trees: 100)</c>.
/// </summary>
public sealed class TrainerSpec
{
    private readonly Func<MLContext, string, string, IEstimator<ITransformer>> _create;
    private readonly Func<MLContext, string, string, IEstimator<ITransformer>>? _createOneVersusAll;

    internal TrainerSpec(
        LearningTask task,
        string name,
        IReadOnlyDictionary<string, object> hyperparameters,
        Func<MLContext, string, string, IEstimator<ITransformer>> create,
        bool producesProbability = true,
        bool needsNormalization = false,
        Func<MLContext, string, string, IEstimator<ITransformer>>? createOneVersusAll = null)
    {
        Task = task;
        Name = name;
        Hyperparameters = hyperparameters;
        _create = create;
        ProducesProbability = producesProbability;
        NeedsNormalization = needsNormalization;
        _createOneVersusAll = createOneVersusAll;
    }

    /// <summary>The task the trainer learns.</summary>
    public LearningTask Task { get; }

    /// <summary>The trainer's name, as logged (for example <c>FastForest</c>).</summary>
    public string Name { get; }

    /// <summary>The hyperparameters by their logged names (snake case); values are int, double, bool or string.</summary>
    public IReadOnlyDictionary<string, object> Hyperparameters { get; }

    /// <summary>
    /// Whether a binary trainer outputs a calibrated <c>Probability</c> column (and so log-loss metrics).
    /// True for the other tasks.
    /// </summary>
    public bool ProducesProbability { get; }

    /// <summary>
    /// Whether the trainer needs normalised features to converge (linear, gradient-based trainers); the
    /// workflow then adds a min-max normalisation of <c>Features</c> unless the features already are normalised.
    /// </summary>
    public bool NeedsNormalization { get; }

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
        return _create(mlContext, labelColumn, featureColumn);
    }

    /// <summary>
    /// The params to log: <c>trainer</c>, <c>task</c> and every hyperparameter, values in invariant culture.
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

        return result;
    }

    /// <summary>A description such as <c>FastForest(trees=100, leaves=20)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{Name}({string.Join(", ", Hyperparameters.Select(p => $"{p.Key}={FormatValue(p.Value)}"))})";

    internal Func<MLContext, string, string, IEstimator<ITransformer>> OneVersusAllFactory =>
        _createOneVersusAll ?? throw new InvalidOperationException($"Trainer {Name} is not a binary trainer.");

    internal static string TaskName(LearningTask task) => task switch
    {
        LearningTask.Regression => "regression",
        LearningTask.BinaryClassification => "binary_classification",
        _ => "multiclass_classification",
    };

    internal static string FormatValue(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
