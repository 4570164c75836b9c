using Microsoft.ML;

namespace MlWorkflow.Training;

/// <summary>
/// The catalog of trainers, by task: <c>Trainers.Regression.FastForest(trees: 100)</c>,
/// <c>Trainers.BinaryClassification.SdcaLogisticRegression()</c>, <c>Trainers.MulticlassClassification.SdcaMaximumEntropy()</c>.
/// Each also takes its ML.NET options object (<c>Trainers.Regression.FastForest(new FastForestRegressionTrainer.Options { ... })</c>);
/// the short overloads set the usual hyperparameters over the same options. Hyperparameters are checked when the spec
/// is created (an <see cref="ArgumentOutOfRangeException"/> names the bad one). <see cref="All"/> describes every trainer
/// and hyperparameter for a tuner, and <see cref="Custom"/> wraps any ML.NET estimator. Other packages add trainers:
/// MlWorkflow.LightGbm adds <c>Trainers.Regression.LightGbm()</c> (and the classification ones) as extension members and
/// lists them here through <see cref="TrainerCatalog.Register"/>.
/// </summary>
public static partial class Trainers
{
    /// <summary>Every trainer of the catalog (regression, then binary, then multiclass), with its hyperparameters.</summary>
    public static IReadOnlyList<TrainerDescriptor> All =>
        [.. Regression.All, .. BinaryClassification.All, .. MulticlassClassification.All];

    /// <summary>The catalog's trainers for a task.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The descriptors, in the catalog's order.</returns>
    public static IReadOnlyList<TrainerDescriptor> For(LearningTask task) => task switch
    {
        LearningTask.Regression => Regression.All,
        LearningTask.BinaryClassification => BinaryClassification.All,
        LearningTask.MulticlassClassification => MulticlassClassification.All,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown learning task."),
    };

    /// <summary>
    /// Wraps any ML.NET estimator as a trainer, so that it is trained, evaluated and tracked as the built-in ones:
    /// <c>Trainers.Custom("MySdca", LearningTask.Regression, c =&gt; c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn))</c>.
    /// For a tunable custom trainer, describe its hyperparameters with a <see cref="TrainerDescriptor"/> instead.
    /// </summary>
    /// <param name="name">The trainer's name, as logged (param <c>trainer</c>).</param>
    /// <param name="task">The task it learns; the workflow prepares the label and evaluates for it.</param>
    /// <param name="createEstimator">
    /// Builds the estimator; it must read <see cref="TrainerContext.LabelColumn"/> and <see cref="TrainerContext.FeatureColumn"/>
    /// and write the task's usual columns (<c>Score</c>, and <c>PredictedLabel</c> for classification). It may be a chain.
    /// </param>
    /// <param name="hyperparameters">
    /// Values to log as params beside <c>trainer</c> and <c>task</c> (int, double, bool or string; read them back with
    /// <see cref="TrainerContext.Get{T}"/>). The default is none.
    /// </param>
    /// <param name="needsNormalization">Whether the features must be normalised first (see <see cref="TrainerSpec.NeedsNormalization"/>). The default value is false.</param>
    /// <param name="producesProbability">Whether a binary trainer writes a calibrated <c>Probability</c> column. The default value is true.</param>
    /// <returns>The spec.</returns>
    public static TrainerSpec Custom(
        string name,
        LearningTask task,
        Func<TrainerContext, IEstimator<ITransformer>> createEstimator,
        IReadOnlyDictionary<string, object>? hyperparameters = null,
        bool needsNormalization = false,
        bool producesProbability = true)
    {
        var values = hyperparameters ?? new Dictionary<string, object>();
        var descriptors = values.Select(p => Fixed(name, p.Key, p.Value)).ToArray();
        return new TrainerDescriptor(name, task, descriptors, createEstimator, needsNormalization, producesProbability).Create();
    }

    // A logged value of a custom trainer: described by its type, its value the default, not searched.
    private static HyperparameterDescriptor Fixed(string trainer, string name, object value) => value switch
    {
        int i => HyperparameterDescriptor.Integer(name, "Set by the user.", int.MinValue, defaultValue: i),
        long or float or double or decimal => HyperparameterDescriptor.Real(name, "Set by the user.", double.MinValue).WithDefault(value),
        bool b => HyperparameterDescriptor.Boolean(name, "Set by the user.", b, searchable: false),
        string s => HyperparameterDescriptor.Categorical(name, "Set by the user.", [s], s, searchable: false),
#pragma warning disable CA2208 // names the parameter of the public Custom method that called this helper
        null => throw new ArgumentException($"Trainer {trainer}: hyperparameter '{name}' is null; give a value to log.", "hyperparameters"),
#pragma warning restore CA2208
        _ => HyperparameterDescriptor.Categorical(name, "Set by the user.", [HyperparameterDescriptor.Format(value)], HyperparameterDescriptor.Format(value), searchable: false),
    };
}
