using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Training;

/// <content>Binary classification trainers.</content>
public static partial class Trainers
{
    /// <summary>Binary classification trainers: they predict yes or no (<c>PredictedLabel</c>, <c>Score</c>, and <c>Probability</c> when calibrated).</summary>
    public static class BinaryClassification
    {
        private static readonly OptionsTrainer<FastTreeBinaryTrainer.Options> FastTreeTrainer =
            TrainerFamilies.FastTree<FastTreeBinaryTrainer.Options>(LearningTask.BinaryClassification, (ml, o) => ml.BinaryClassification.Trainers.FastTree(o));

        private static readonly OptionsTrainer<FastForestBinaryTrainer.Options> FastForestTrainer = TrainerFamilies.FastForest<FastForestBinaryTrainer.Options>(
            LearningTask.BinaryClassification, (ml, o) => ml.BinaryClassification.Trainers.FastForest(o), producesProbability: false);

        private static readonly OptionsTrainer<SdcaLogisticRegressionBinaryTrainer.Options> SdcaLogisticRegressionTrainer = TrainerFamilies.Sdca(
            "SdcaLogisticRegression",
            LearningTask.BinaryClassification,
            () => new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 },
            (ml, o) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(o));

        private static readonly OptionsTrainer<LbfgsLogisticRegressionBinaryTrainer.Options> LbfgsLogisticRegressionTrainer =
            TrainerFamilies.Lbfgs<LbfgsLogisticRegressionBinaryTrainer.Options>(
                "LbfgsLogisticRegression", LearningTask.BinaryClassification, (ml, o) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(o));

        private static readonly OptionsTrainer<AveragedPerceptronTrainer.Options> AveragedPerceptronTrainer = TrainerFamilies.OnlineLinear(
            "AveragedPerceptron",
            LearningTask.BinaryClassification,
            // The logistic loss, as ML.NET's short AveragedPerceptron overload uses (its options object defaults to the hinge loss).
            () => new AveragedPerceptronTrainer.Options { NumberOfIterations = 10, LossFunction = new LogLoss() },
            (ml, o) => ml.BinaryClassification.Trainers.AveragedPerceptron(o),
            producesProbability: false);

        private static readonly TrainerDescriptor[] BuiltIn =
        [
            FastTreeTrainer.Descriptor,
            FastForestTrainer.Descriptor,
            SdcaLogisticRegressionTrainer.Descriptor,
            LbfgsLogisticRegressionTrainer.Descriptor,
            AveragedPerceptronTrainer.Descriptor,
        ];

        /// <summary>Every binary classification trainer of the catalog, with its hyperparameters, for a tuner to search. Trainers from other packages (<see cref="TrainerCatalog.Register"/>) follow the built-in ones.</summary>
        public static IReadOnlyList<TrainerDescriptor> All => TrainerCatalog.WithRegistered(LearningTask.BinaryClassification, BuiltIn);

        /// <summary>Gradient-boosted trees (FastTree), calibrated.</summary>
        /// <inheritdoc cref="Regression.FastTree(int, int, int, double)"/>
        public static TrainerSpec FastTree(int trees = 100, int leaves = 20, int minExamplesPerLeaf = 10, double learningRate = 0.2) =>
            FastTreeTrainer.Create(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate));

        /// <summary>Gradient-boosted trees with every ML.NET setting.</summary>
        /// <inheritdoc cref="Regression.FastTree(FastTreeRegressionTrainer.Options)"/>
        public static TrainerSpec FastTree(FastTreeBinaryTrainer.Options options) => FastTreeTrainer.FromOptions(options);

        /// <summary>
        /// A random forest (FastForest) with deep trees, as for regression (<see cref="Regression.FastForest(int, int, int, double)"/> says why);
        /// on breast_cancer (suite <c>defaults</c>) they score an AUC as high as ML.NET's shallow defaults did, within that small test set's noise.
        /// It is not calibrated: no <c>Probability</c>, so no log-loss metrics.
        /// </summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 1000.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 1.</param>
        /// <param name="featureFraction">Fraction of features each tree may use, in (0, 1]. The default value is 1.</param>
        /// <returns>The spec; its other hyperparameters (<c>maximum_bin_count</c>, <c>bagging_example_fraction</c>, <c>threads</c>) keep ML.NET's defaults (255, 0.7, auto).</returns>
        public static TrainerSpec FastForest(int trees = 100, int leaves = 1000, int minExamplesPerLeaf = 1, double featureFraction = 1) =>
            FastForestTrainer.Create(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("feature_fraction", featureFraction));

        /// <summary>A random forest with every ML.NET setting. It is not calibrated.</summary>
        /// <inheritdoc cref="Regression.FastForest(FastForestRegressionTrainer.Options)"/>
        public static TrainerSpec FastForest(FastForestBinaryTrainer.Options options) => FastForestTrainer.FromOptions(options);

        /// <summary>
        /// Logistic regression by stochastic dual coordinate ascent, on one thread so that results repeat. ML.NET's defaults are
        /// kept: on breast_cancer (suite <c>defaults</c>, standardised features, as the workflow does) they score an AUC of 0.995.
        /// </summary>
        /// <inheritdoc cref="Regression.Sdca(double?, double?, int?)"/>
        /// <returns>The spec; <c>convergence_tolerance</c> keeps ML.NET's default (0.1) and <c>threads</c> is 1.</returns>
        public static TrainerSpec SdcaLogisticRegression(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null) =>
            SdcaLogisticRegressionTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations));

        /// <summary>Logistic regression by SDCA with every ML.NET setting (ML.NET's thread count, unless the options set one).</summary>
        /// <inheritdoc cref="Regression.Sdca(SdcaRegressionTrainer.Options)"/>
        public static TrainerSpec SdcaLogisticRegression(SdcaLogisticRegressionBinaryTrainer.Options options) => SdcaLogisticRegressionTrainer.FromOptions(options);

        /// <summary>Logistic regression by L-BFGS.</summary>
        /// <inheritdoc cref="Regression.Poisson(double, double)"/>
        public static TrainerSpec LbfgsLogisticRegression(double l1Regularization = 1, double l2Regularization = 1) =>
            LbfgsLogisticRegressionTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization));

        /// <summary>Logistic regression by L-BFGS with every ML.NET setting.</summary>
        /// <inheritdoc cref="Regression.Poisson(LbfgsPoissonRegressionTrainer.Options)"/>
        public static TrainerSpec LbfgsLogisticRegression(LbfgsLogisticRegressionBinaryTrainer.Options options) => LbfgsLogisticRegressionTrainer.FromOptions(options);

        /// <summary>The averaged perceptron, a linear classifier. It is not calibrated: no <c>Probability</c>.</summary>
        /// <param name="learningRate">Learning rate, more than 0. The default value is 1.</param>
        /// <param name="iterations">Passes over the data, more than 0. The default value is 10.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 0.</param>
        /// <returns>The spec; <c>decrease_learning_rate</c> keeps ML.NET's default (false), and the loss is the logistic loss, as in ML.NET's short overload.</returns>
        public static TrainerSpec AveragedPerceptron(double learningRate = 1, int iterations = 10, double l2Regularization = 0) =>
            AveragedPerceptronTrainer.Create(("learning_rate", learningRate), ("iterations", iterations), ("l2_regularization", l2Regularization));

        /// <summary>The averaged perceptron with every ML.NET setting (its loss defaults to the hinge loss there). It is not calibrated.</summary>
        /// <inheritdoc cref="Regression.OnlineGradientDescent(OnlineGradientDescentTrainer.Options)"/>
        public static TrainerSpec AveragedPerceptron(AveragedPerceptronTrainer.Options options) => AveragedPerceptronTrainer.FromOptions(options);
    }
}
