using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using G = MlWorkflow.Training.HyperparameterGuard;

namespace MlWorkflow.Training;

/// <content>Regression trainers.</content>
public static partial class Trainers
{
    /// <summary>Regression trainers: they predict a number.</summary>
    public static class Regression
    {
        /// <summary>Gradient-boosted trees (ML.NET's FastTree, MART).</summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 20.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 10.</param>
        /// <param name="learningRate">Shrinkage, more than 0. The default value is 0.2.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec FastTree(int trees = 100, int leaves = 20, int minExamplesPerLeaf = 10, double learningRate = 0.2)
        {
            const string name = "FastTree";
            G.Positive(name, "trees", trees);
            G.AtLeast(name, "leaves", leaves, 2);
            G.Positive(name, "min_examples_per_leaf", minExamplesPerLeaf);
            G.Positive(name, "learning_rate", learningRate);
            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate)),
                (ml, label, features) => ml.Regression.Trainers.FastTree(WithColumns(new FastTreeRegressionTrainer.Options { NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, LearningRate = learningRate }, label, features)));
        }

        /// <summary>A random forest of regression trees (ML.NET's FastForest).</summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 20.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 10.</param>
        /// <param name="featureFraction">Fraction of features tried per tree, in (0, 1]. The default value is 0.7.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec FastForest(int trees = 100, int leaves = 20, int minExamplesPerLeaf = 10, double featureFraction = 0.7)
        {
            const string name = "FastForest";
            G.Positive(name, "trees", trees);
            G.AtLeast(name, "leaves", leaves, 2);
            G.Positive(name, "min_examples_per_leaf", minExamplesPerLeaf);
            G.Fraction(name, "feature_fraction", featureFraction);
            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("feature_fraction", featureFraction)),
                (ml, label, features) => ml.Regression.Trainers.FastForest(WithColumns(new FastForestRegressionTrainer.Options { NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, FeatureFraction = featureFraction }, label, features)));
        }

        /// <summary>A random forest: the same as <see cref="FastForest"/>.</summary>
        /// <param name="trees">Number of trees, more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 20.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 10.</param>
        /// <param name="featureFraction">Fraction of features tried per tree, in (0, 1]. The default value is 0.7.</param>
        /// <returns>The spec (named <c>FastForest</c>).</returns>
        public static TrainerSpec RandomForest(int trees = 100, int leaves = 20, int minExamplesPerLeaf = 10, double featureFraction = 0.7) =>
            FastForest(trees, leaves, minExamplesPerLeaf, featureFraction);

        /// <summary>LightGBM gradient boosting.</summary>
        /// <param name="iterations">Boosting iterations (trees), more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 31.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 20.</param>
        /// <param name="learningRate">Shrinkage, more than 0. The default value is 0.1.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec LightGbm(int iterations = 100, int leaves = 31, int minExamplesPerLeaf = 20, double learningRate = 0.1)
        {
            const string name = "LightGbm";
            G.Positive(name, "iterations", iterations);
            G.AtLeast(name, "leaves", leaves, 2);
            G.Positive(name, "min_examples_per_leaf", minExamplesPerLeaf);
            G.Positive(name, "learning_rate", learningRate);
            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("iterations", iterations), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate)),
                (ml, label, features) => ml.Regression.Trainers.LightGbm(WithColumns(new LightGbmRegressionTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, LearningRate = learningRate }, label, features)));
        }

        /// <summary>Linear regression by stochastic dual coordinate ascent, on one thread so that results repeat.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="maxIterations">Maximum passes over the data, more than 0; null lets ML.NET choose. The default is null.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec Sdca(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null)
        {
            const string name = "Sdca";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            if (maxIterations is { } m)
            {
                G.Positive(name, "max_iterations", m);
            }

            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations), ("threads", 1)),
                (ml, label, features) => ml.Regression.Trainers.Sdca(WithColumns(new SdcaRegressionTrainer.Options { L1Regularization = AsSingle(l1Regularization), L2Regularization = AsSingle(l2Regularization), MaximumNumberOfIterations = maxIterations, NumberOfThreads = 1 }, label, features)),
                needsNormalization: true);
        }

        /// <summary>Linear regression by online gradient descent.</summary>
        /// <param name="learningRate">Initial learning rate, more than 0. The default value is 0.1.</param>
        /// <param name="iterations">Passes over the data, more than 0. The default value is 10.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 0.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec OnlineGradientDescent(double learningRate = 0.1, int iterations = 10, double l2Regularization = 0)
        {
            const string name = "OnlineGradientDescent";
            G.Positive(name, "learning_rate", learningRate);
            G.Positive(name, "iterations", iterations);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("learning_rate", learningRate), ("iterations", iterations), ("l2_regularization", l2Regularization)),
                (ml, label, features) => ml.Regression.Trainers.OnlineGradientDescent(
                    label, features, learningRate: (float)learningRate, numberOfIterations: iterations, l2Regularization: (float)l2Regularization),
                needsNormalization: true);
        }

        /// <summary>Poisson regression (a log-linear model of counts) by L-BFGS; the label must be 0 or more.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more. The default value is 1.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 1.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec Poisson(double l1Regularization = 1, double l2Regularization = 1)
        {
            const string name = "Poisson";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            return new TrainerSpec(
                LearningTask.Regression,
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization)),
                (ml, label, features) => ml.Regression.Trainers.LbfgsPoissonRegression(
                    label, features, l1Regularization: (float)l1Regularization, l2Regularization: (float)l2Regularization),
                needsNormalization: true);
        }
    }
}
