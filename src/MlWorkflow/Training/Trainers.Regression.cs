using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Training;

/// <content>Regression trainers.</content>
public static partial class Trainers
{
    /// <summary>Regression trainers: they predict a number.</summary>
    public static class Regression
    {
        private static readonly OptionsTrainer<FastTreeRegressionTrainer.Options> FastTreeTrainer =
            TrainerFamilies.FastTree<FastTreeRegressionTrainer.Options>(LearningTask.Regression, (ml, o) => ml.Regression.Trainers.FastTree(o));

        private static readonly OptionsTrainer<FastForestRegressionTrainer.Options> FastForestTrainer =
            TrainerFamilies.FastForest<FastForestRegressionTrainer.Options>(LearningTask.Regression, (ml, o) => ml.Regression.Trainers.FastForest(o));

        private static readonly OptionsTrainer<SdcaRegressionTrainer.Options> SdcaTrainer = TrainerFamilies.Sdca(
            "Sdca", LearningTask.Regression, () => new SdcaRegressionTrainer.Options { NumberOfThreads = 1 }, (ml, o) => ml.Regression.Trainers.Sdca(o));

        private static readonly OptionsTrainer<OnlineGradientDescentTrainer.Options> OnlineGradientDescentTrainer = TrainerFamilies.OnlineLinear(
            "OnlineGradientDescent",
            LearningTask.Regression,
            () => new OnlineGradientDescentTrainer.Options { NumberOfIterations = 10 },
            (ml, o) => ml.Regression.Trainers.OnlineGradientDescent(o));

        private static readonly OptionsTrainer<LbfgsPoissonRegressionTrainer.Options> PoissonTrainer =
            TrainerFamilies.Lbfgs<LbfgsPoissonRegressionTrainer.Options>("Poisson", LearningTask.Regression, (ml, o) => ml.Regression.Trainers.LbfgsPoissonRegression(o));

        private static readonly TrainerDescriptor[] BuiltIn =
        [
            FastTreeTrainer.Descriptor,
            FastForestTrainer.Descriptor,
            SdcaTrainer.Descriptor,
            OnlineGradientDescentTrainer.Descriptor,
            PoissonTrainer.Descriptor,
        ];

        /// <summary>Every regression trainer of the catalog, with its hyperparameters, for a tuner to search. Trainers from other packages (<see cref="TrainerCatalog.Register"/>) follow the built-in ones.</summary>
        public static IReadOnlyList<TrainerDescriptor> All => TrainerCatalog.WithRegistered(LearningTask.Regression, BuiltIn);

        /// <summary>
        /// Gradient-boosted trees (ML.NET's FastTree, MART), with ML.NET's defaults: on txhousing and diamonds (benchmark suite
        /// <c>defaults</c>) they already match scikit-learn's random forest and LightGBM, so they are kept.
        /// </summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 20.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 10.</param>
        /// <param name="learningRate">Shrinkage, more than 0. The default value is 0.2.</param>
        /// <returns>The spec; its other hyperparameters (<c>feature_fraction</c>, <c>maximum_bin_count</c>, <c>threads</c>) keep ML.NET's defaults (1, 255, auto).</returns>
        public static TrainerSpec FastTree(int trees = 100, int leaves = 20, int minExamplesPerLeaf = 10, double learningRate = 0.2) =>
            FastTreeTrainer.Create(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate));

        /// <summary>Gradient-boosted trees with every ML.NET setting.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec FastTree(FastTreeRegressionTrainer.Options options) => FastTreeTrainer.FromOptions(options);

        /// <summary>
        /// A random forest of regression trees (ML.NET's FastForest) with deep trees, as scikit-learn's <c>RandomForestRegressor</c>
        /// grows them: on txhousing and diamonds (benchmark suite <c>defaults</c>) these defaults halve the test error of ML.NET's
        /// own (20 leaves, 10 rows per leaf, 0.7 of the features) and match scikit-learn's, for more training time (about 2 to 3 s
        /// for 100 trees on 5,000 to 43,000 rows, 3 to 17 times the shallow forest's). Pass the old values to get the old shallow forest.
        /// </summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100 (scikit-learn's too).</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 1000: trees grow deep (4,000 leaves gained 1% for 4 times the time).</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 1, as scikit-learn's <c>min_samples_leaf</c>: averaging many trees, not big leaves, smooths a forest.</param>
        /// <param name="featureFraction">Fraction of features each tree may use, in (0, 1]. The default value is 1 (every feature, scikit-learn's regression default); below 1 a tree may miss the strongest feature.</param>
        /// <returns>The spec; its other hyperparameters (<c>maximum_bin_count</c>, <c>bagging_example_fraction</c>, <c>threads</c>) keep ML.NET's defaults (255, 0.7, auto).</returns>
        public static TrainerSpec FastForest(int trees = 100, int leaves = 1000, int minExamplesPerLeaf = 1, double featureFraction = 1) =>
            FastForestTrainer.Create(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("feature_fraction", featureFraction));

        /// <summary>A random forest with every ML.NET setting.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec FastForest(FastForestRegressionTrainer.Options options) => FastForestTrainer.FromOptions(options);

        /// <summary>A random forest with deep trees: the same as <see cref="FastForest(int, int, int, double)"/>, which says why its defaults are what they are.</summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 1000.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 1.</param>
        /// <param name="featureFraction">Fraction of features each tree may use, in (0, 1]. The default value is 1.</param>
        /// <returns>The spec (named <c>FastForest</c>).</returns>
        public static TrainerSpec RandomForest(int trees = 100, int leaves = 1000, int minExamplesPerLeaf = 1, double featureFraction = 1) =>
            FastForest(trees, leaves, minExamplesPerLeaf, featureFraction);

        /// <summary>Linear regression by stochastic dual coordinate ascent, on one thread so that results repeat.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="maxIterations">Maximum passes over the data, more than 0; null lets ML.NET choose. The default is null.</param>
        /// <returns>The spec; <c>convergence_tolerance</c> keeps ML.NET's default (0.01) and <c>threads</c> is 1.</returns>
        public static TrainerSpec Sdca(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null) =>
            SdcaTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations));

        /// <summary>Linear regression by SDCA with every ML.NET setting (ML.NET's thread count, unless the options set one).</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec Sdca(SdcaRegressionTrainer.Options options) => SdcaTrainer.FromOptions(options);

        /// <summary>Linear regression by online gradient descent.</summary>
        /// <param name="learningRate">Initial learning rate, more than 0. The default value is 0.1.</param>
        /// <param name="iterations">Passes over the data, more than 0. The default value is 10.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 0.</param>
        /// <returns>The spec; <c>decrease_learning_rate</c> keeps ML.NET's default (true).</returns>
        public static TrainerSpec OnlineGradientDescent(double learningRate = 0.1, int iterations = 10, double l2Regularization = 0) =>
            OnlineGradientDescentTrainer.Create(("learning_rate", learningRate), ("iterations", iterations), ("l2_regularization", l2Regularization));

        /// <summary>Linear regression by online gradient descent with every ML.NET setting.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec OnlineGradientDescent(OnlineGradientDescentTrainer.Options options) => OnlineGradientDescentTrainer.FromOptions(options);

        /// <summary>Poisson regression (a log-linear model of counts) by L-BFGS; the label must be 0 or more.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more. The default value is 1.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 1.</param>
        /// <returns>
        /// The spec; its other hyperparameters keep ML.NET's defaults: <c>optimization_tolerance</c> 1e-7, <c>history_size</c> 20,
        /// <c>max_iterations</c> 2147483647 (until converged), <c>threads</c> auto.
        /// </returns>
        public static TrainerSpec Poisson(double l1Regularization = 1, double l2Regularization = 1) =>
            PoissonTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization));

        /// <summary>Poisson regression by L-BFGS with every ML.NET setting.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec Poisson(LbfgsPoissonRegressionTrainer.Options options) => PoissonTrainer.FromOptions(options);
    }
}
