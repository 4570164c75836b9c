using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using D = MlWorkflow.Training.HyperparameterDescriptor;

namespace MlWorkflow.Training;

/// <summary>
/// One helper per trainer family: the hyperparameters a family's ML.NET options share, with their accepted
/// and searched ranges, bound by field name (the options classes of a family inherit the same fields). A
/// trainer of <see cref="Trainers"/> is one family call with its options class and its ML.NET catalog method (LightGBM's
/// family lives in the MlWorkflow.LightGbm package, on the public <see cref="OptionsTrainer{TOptions}"/>).
/// </summary>
/// <remarks>
/// Search ranges follow common practice for each learner (for example FLAML's and scikit-learn's) and are a
/// starting point for a tuner, not a limit: the accepted range is what ML.NET accepts.
/// </remarks>
internal static class TrainerFamilies
{
    private static readonly D Trees = D.Integer("trees", "Number of trees.", 1, searchMinimum: 4, searchMaximum: 1000, logScale: true);
    private static readonly D FeatureFraction = D.Real("feature_fraction", "Fraction of the features each tree may use.", 0, 1, minimumExclusive: true, searchMinimum: 0.3, searchMaximum: 1);
    private static readonly D MaximumBinCount = D.Integer("maximum_bin_count", "Maximum number of bins a feature's values are bucketed into.", 2, searchMinimum: 16, searchMaximum: 1023, logScale: true);
    private static readonly D Threads = D.Integer("threads", "Training threads; 1 makes results repeat exactly, null lets ML.NET use several.", 1, allowsAuto: true);

    /// <summary>FastTree: gradient-boosted trees (MART).</summary>
    public static OptionsTrainer<T> FastTree<T>(LearningTask task, Func<MLContext, T, IEstimator<ITransformer>> fit)
        where T : BoostedTreeOptions, new() =>
        new(
            "FastTree",
            task,
            () => new T(),
            [
                .. TreeBindings<T>(),
                new(TreeLearningRate(), nameof(BoostedTreeOptions.LearningRate)),
            ],
            fit,
            needsNormalization: false);

    /// <summary>The catalog's random forest: deep trees as in scikit-learn's RandomForest defaults (issue 14 measured ML.NET's 20 leaves, 10 rows per leaf and 0.7 of the features at twice the error).</summary>
    public const int ForestLeaves = 1000;

    /// <summary>One row per leaf: each tree grows until it fits its bag, and averaging many such trees is what makes a forest good.</summary>
    public const int ForestMinExamplesPerLeaf = 1;

    /// <summary>Every feature for every tree (scikit-learn's regression default); ML.NET's 0.7 drops strong features from whole trees.</summary>
    public const double ForestFeatureFraction = 1;

    /// <summary>FastForest: a random forest of bagged trees, with the catalog's deep-tree defaults (see <see cref="ForestLeaves"/>).</summary>
    public static OptionsTrainer<T> FastForest<T>(LearningTask task, Func<MLContext, T, IEstimator<ITransformer>> fit, bool producesProbability = true)
        where T : TreeOptions, new() =>
        new(
            "FastForest",
            task,
            () => new T { NumberOfLeaves = ForestLeaves, MinimumExampleCountPerLeaf = ForestMinExamplesPerLeaf, FeatureFraction = ForestFeatureFraction },
            [
                .. TreeBindings<T>(),
                new(D.Real("bagging_example_fraction", "Fraction of the rows each tree is trained on.", 0, 1, minimumExclusive: true, searchMinimum: 0.3, searchMaximum: 1), nameof(TreeOptions.BaggingExampleFraction)),
            ],
            fit,
            needsNormalization: false,
            producesProbability);

    /// <summary>SDCA: stochastic dual coordinate ascent for linear models; the catalog runs it on one thread so that results repeat.</summary>
    public static OptionsTrainer<T> Sdca<T>(string name, LearningTask task, Func<T> options, Func<MLContext, T, IEstimator<ITransformer>> fit)
        where T : TrainerInputBaseWithLabel =>
        new(
            name,
            task,
            options,
            [
                new(Regularization("l1_regularization", "L1 weight (sparsity); null lets ML.NET choose from the data.", allowsAuto: true), nameof(SdcaRegressionTrainer.Options.L1Regularization)),
                new(Regularization("l2_regularization", "L2 weight; null lets ML.NET choose from the data.", allowsAuto: true), nameof(SdcaRegressionTrainer.Options.L2Regularization)),
                new(D.Integer("max_iterations", "Maximum passes over the data; null lets ML.NET choose.", 1, searchMinimum: 1, searchMaximum: 100, logScale: true, allowsAuto: true), nameof(SdcaRegressionTrainer.Options.MaximumNumberOfIterations)),
                new(D.Real("convergence_tolerance", "Relative duality gap at which training stops.", 0, minimumExclusive: true, searchMinimum: 1e-4, searchMaximum: 0.5, logScale: true), nameof(SdcaRegressionTrainer.Options.ConvergenceTolerance)),
                new(Threads, nameof(SdcaRegressionTrainer.Options.NumberOfThreads)),
            ],
            fit,
            needsNormalization: true,
            needsCache: true);

    /// <summary>L-BFGS: quasi-Newton optimisation of linear and log-linear models.</summary>
    public static OptionsTrainer<T> Lbfgs<T>(string name, LearningTask task, Func<MLContext, T, IEstimator<ITransformer>> fit)
        where T : TrainerInputBaseWithLabel, new() =>
        new(
            name,
            task,
            () => new T(),
            [
                new(Regularization("l1_regularization", "L1 weight (sparsity)."), nameof(LbfgsPoissonRegressionTrainer.Options.L1Regularization)),
                new(Regularization("l2_regularization", "L2 weight."), nameof(LbfgsPoissonRegressionTrainer.Options.L2Regularization)),
                new(D.Real("optimization_tolerance", "Relative improvement below which training stops.", 0, minimumExclusive: true, searchMinimum: 1e-8, searchMaximum: 1e-3, logScale: true), nameof(LbfgsPoissonRegressionTrainer.Options.OptimizationTolerance)),
                new(D.Integer("history_size", "Past gradients kept to approximate the curvature.", 1, searchMinimum: 5, searchMaximum: 100, logScale: true), nameof(LbfgsPoissonRegressionTrainer.Options.HistorySize)),
                new(D.Integer("max_iterations", "Maximum optimiser iterations.", 1), nameof(LbfgsPoissonRegressionTrainer.Options.MaximumNumberOfIterations)),
                new(Threads, nameof(LbfgsPoissonRegressionTrainer.Options.NumberOfThreads)),
            ],
            fit,
            needsNormalization: true,
            needsCache: true);

    /// <summary>Online linear learners (online gradient descent, averaged perceptron): a pass at a time over the rows.</summary>
    public static OptionsTrainer<T> OnlineLinear<T>(string name, LearningTask task, Func<T> options, Func<MLContext, T, IEstimator<ITransformer>> fit, bool producesProbability = true)
        where T : AveragedLinearOptions =>
        new(
            name,
            task,
            options,
            [
                // A regression's squared loss diverges at steps a classifier's bounded loss takes (NaN weights at 10 on diamonds).
                new(D.Real("learning_rate", "Initial step size.", 0, minimumExclusive: true, searchMinimum: task == LearningTask.Regression ? 1e-2 : 1e-3, searchMaximum: task == LearningTask.Regression ? 1 : 10, logScale: true), nameof(AveragedLinearOptions.LearningRate)),
                new(D.Integer("iterations", "Passes over the data.", 1, searchMinimum: 1, searchMaximum: 100, logScale: true), nameof(AveragedLinearOptions.NumberOfIterations)),
                new(D.Real("l2_regularization", "L2 weight (ML.NET accepts [0, 0.5)).", 0, maximum: 0.4999, searchMinimum: 1e-6, searchMaximum: 0.4, logScale: true), nameof(AveragedLinearOptions.L2Regularization)),
                new(D.Boolean("decrease_learning_rate", "Whether the step size shrinks as training goes on."), nameof(AveragedLinearOptions.DecreaseLearningRate)),
            ],
            fit,
            needsNormalization: true,
            producesProbability,
            needsCache: true);

    private static OptionBinding<T>[] TreeBindings<T>()
        where T : TreeOptions =>
    [
        new(Trees, nameof(TreeOptions.NumberOfTrees)),
        new(Leaves(), nameof(TreeOptions.NumberOfLeaves)),
        new(MinExamplesPerLeaf(), nameof(TreeOptions.MinimumExampleCountPerLeaf)),
        new(FeatureFraction, nameof(TreeOptions.FeatureFraction)),
        new(MaximumBinCount, nameof(TreeOptions.MaximumBinCountPerFeature)),
        new(Threads, nameof(TreeOptions.NumberOfThreads)),
    ];

    private static D Leaves(bool allowsAuto = false) =>
        D.Integer("leaves", "Maximum leaves per tree.", 2, searchMinimum: 4, searchMaximum: 1024, logScale: true, allowsAuto: allowsAuto);

    private static D MinExamplesPerLeaf(bool allowsAuto = false) =>
        D.Integer("min_examples_per_leaf", "Minimum training rows in a leaf.", 1, searchMinimum: 1, searchMaximum: 128, logScale: true, allowsAuto: allowsAuto);

    private static D TreeLearningRate(bool allowsAuto = false) =>
        D.Real("learning_rate", "Shrinkage of each tree's contribution.", 0, minimumExclusive: true, searchMinimum: 0.001, searchMaximum: 1, logScale: true, allowsAuto: allowsAuto);

    private static D Regularization(string name, string description, bool allowsAuto = false) =>
        D.Real(name, description, 0, searchMinimum: 1e-4, searchMaximum: 10, logScale: true, allowsAuto: allowsAuto);
}
