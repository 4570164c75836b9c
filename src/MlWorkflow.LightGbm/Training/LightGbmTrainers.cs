using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using D = MlWorkflow.Training.HyperparameterDescriptor;

namespace MlWorkflow.Training;

/// <summary>
/// LightGBM's trainer family and its three trainers; registered in <see cref="TrainerCatalog"/> when this assembly is
/// loaded, so that <see cref="Trainers.All"/> lists them.
/// </summary>
internal static class LightGbmTrainers
{
    public static readonly OptionsTrainer<LightGbmRegressionTrainer.Options> Regression = Family(
        LearningTask.Regression,
        () => new LightGbmRegressionTrainer.Options { NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 },
        (ml, o) => ml.Regression.Trainers.LightGbm(o));

    public static readonly OptionsTrainer<LightGbmBinaryTrainer.Options> BinaryClassification = Family(
        LearningTask.BinaryClassification,
        () => new LightGbmBinaryTrainer.Options { NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 },
        (ml, o) => ml.BinaryClassification.Trainers.LightGbm(o));

    public static readonly OptionsTrainer<LightGbmMulticlassTrainer.Options> MulticlassClassification = Family(
        LearningTask.MulticlassClassification,
        () => new LightGbmMulticlassTrainer.Options { NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 },
        (ml, o) => ml.MulticlassClassification.Trainers.LightGbm(o));

    // The core runs this initializer when the catalog is first read (it loads MlWorkflow.LightGbm by name), and the runtime
    // runs it before any code of this assembly: either way the catalog lists LightGBM before anyone can ask.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Registration must happen on load, with no call from the user; it only adds three descriptors to a list.")]
    internal static void Register()
    {
        TrainerCatalog.Register(Regression.Descriptor);
        TrainerCatalog.Register(BinaryClassification.Descriptor);
        TrainerCatalog.Register(MulticlassClassification.Descriptor);
    }

    /// <summary>LightGBM: gradient boosting; the catalog's own defaults are LightGBM's documented ones (31 leaves, 20 rows per leaf, learning rate 0.1).</summary>
    private static OptionsTrainer<T> Family<T>(LearningTask task, Func<T> options, Func<MLContext, T, IEstimator<ITransformer>> fit)
        where T : TrainerInputBaseWithLabel =>
        new(
            "LightGbm",
            task,
            options,
            [
                new(D.Integer("iterations", "Boosting iterations (trees per class).", 1, searchMinimum: 4, searchMaximum: 1000, logScale: true), nameof(LightGbmRegressionTrainer.Options.NumberOfIterations)),
                new(D.Integer("leaves", "Maximum leaves per tree.", 2, searchMinimum: 4, searchMaximum: 1024, logScale: true, allowsAuto: true), nameof(LightGbmRegressionTrainer.Options.NumberOfLeaves)),
                new(D.Integer("min_examples_per_leaf", "Minimum training rows in a leaf.", 1, searchMinimum: 1, searchMaximum: 128, logScale: true, allowsAuto: true), nameof(LightGbmRegressionTrainer.Options.MinimumExampleCountPerLeaf)),
                new(D.Real("learning_rate", "Shrinkage of each tree's contribution.", 0, minimumExclusive: true, searchMinimum: 0.001, searchMaximum: 1, logScale: true, allowsAuto: true), nameof(LightGbmRegressionTrainer.Options.LearningRate)),
                new(D.Integer("maximum_bin_count", "Maximum number of bins a feature's values are bucketed into.", 2, searchMinimum: 16, searchMaximum: 1023, logScale: true), nameof(LightGbmRegressionTrainer.Options.MaximumBinCountPerFeature)),
                new(Regularization("l1_regularization", "L1 weight on leaf values."), Booster(nameof(BoosterParameterBase.OptionsBase.L1Regularization))),
                new(Regularization("l2_regularization", "L2 weight on leaf values."), Booster(nameof(BoosterParameterBase.OptionsBase.L2Regularization))),
                new(D.Real("feature_fraction", "Fraction of the features each tree may use.", 0, 1, minimumExclusive: true, searchMinimum: 0.3, searchMaximum: 1), Booster(nameof(BoosterParameterBase.OptionsBase.FeatureFraction))),
                new(D.Real("subsample_fraction", "Fraction of the rows each iteration samples (when subsample_frequency is more than 0).", 0, 1, minimumExclusive: true, searchMinimum: 0.3, searchMaximum: 1), Booster(nameof(BoosterParameterBase.OptionsBase.SubsampleFraction))),
                new(D.Integer("subsample_frequency", "Resample the rows every this many iterations; 0 never samples.", 0, searchMinimum: 0, searchMaximum: 10), Booster(nameof(BoosterParameterBase.OptionsBase.SubsampleFrequency))),
                new(D.Integer("threads", "Training threads; 1 makes results repeat exactly, null lets ML.NET use several.", 1, allowsAuto: true), nameof(LightGbmRegressionTrainer.Options.NumberOfThreads)),
            ],
            fit,
            needsNormalization: false,
            complete: UseGradientBoosterWhenUnset);

    // ML.NET leaves Booster null and then boosts with GradientBooster.Options' defaults; the same object, made explicit, can be read and set.
    private static void UseGradientBoosterWhenUnset<T>(T options)
    {
        var booster = typeof(T).GetProperty(nameof(LightGbmRegressionTrainer.Options.Booster))!;
        if (booster.GetValue(options) is null)
        {
            booster.SetValue(options, new GradientBooster.Options());
        }
    }

    // The same ranges as the core's tree families, so that a tuner searches LightGBM and FastTree alike.
    private static D Regularization(string name, string description) =>
        D.Real(name, description, 0, searchMinimum: 1e-4, searchMaximum: 10, logScale: true);

    private static string Booster(string field) => $"{nameof(LightGbmRegressionTrainer.Options.Booster)}.{field}";
}
