using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using G = MlWorkflow.Training.HyperparameterGuard;

namespace MlWorkflow.Training;

/// <content>Binary classification trainers.</content>
public static partial class Trainers
{
    /// <summary>Binary classification trainers: they predict yes or no (<c>PredictedLabel</c>, <c>Score</c>, and <c>Probability</c> when calibrated).</summary>
    public static class BinaryClassification
    {
        /// <summary>Gradient-boosted trees (FastTree), calibrated.</summary>
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
            return Binary(
                name,
                Parameters(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate)),
                (ml, label, features) => ml.BinaryClassification.Trainers.FastTree(WithColumns(
                    new FastTreeBinaryTrainer.Options { NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, LearningRate = learningRate },
                    label,
                    features)),
                calibrated: true,
                needsNormalization: false);
        }

        /// <summary>A random forest (FastForest). It is not calibrated: no <c>Probability</c>, so no log-loss metrics.</summary>
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
            return Binary(
                name,
                Parameters(("trees", trees), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("feature_fraction", featureFraction)),
                (ml, label, features) => ml.BinaryClassification.Trainers.FastForest(WithColumns(
                    new FastForestBinaryTrainer.Options { NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, FeatureFraction = featureFraction },
                    label,
                    features)),
                calibrated: false,
                needsNormalization: false);
        }

        /// <summary>LightGBM gradient boosting, calibrated.</summary>
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
            return Binary(
                name,
                Parameters(("iterations", iterations), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate)),
                (ml, label, features) => ml.BinaryClassification.Trainers.LightGbm(WithColumns(
                    new LightGbmBinaryTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, LearningRate = learningRate },
                    label,
                    features)),
                calibrated: true,
                needsNormalization: false);
        }

        /// <summary>Logistic regression by stochastic dual coordinate ascent, on one thread so that results repeat.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="maxIterations">Maximum passes over the data, more than 0; null lets ML.NET choose. The default is null.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec SdcaLogisticRegression(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null)
        {
            const string name = "SdcaLogisticRegression";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            if (maxIterations is { } m)
            {
                G.Positive(name, "max_iterations", m);
            }

            return Binary(
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations), ("threads", 1)),
                (ml, label, features) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(WithColumns(
                    new SdcaLogisticRegressionBinaryTrainer.Options
                    {
                        L1Regularization = AsSingle(l1Regularization),
                        L2Regularization = AsSingle(l2Regularization),
                        MaximumNumberOfIterations = maxIterations,
                        NumberOfThreads = 1,
                    },
                    label,
                    features)),
                calibrated: true,
                needsNormalization: true);
        }

        /// <summary>Logistic regression by L-BFGS.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more. The default value is 1.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 1.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec LbfgsLogisticRegression(double l1Regularization = 1, double l2Regularization = 1)
        {
            const string name = "LbfgsLogisticRegression";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            return Binary(
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization)),
                (ml, label, features) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                    label, features, l1Regularization: (float)l1Regularization, l2Regularization: (float)l2Regularization),
                calibrated: true,
                needsNormalization: true);
        }

        /// <summary>The averaged perceptron, a linear classifier. It is not calibrated: no <c>Probability</c>.</summary>
        /// <param name="learningRate">Learning rate, more than 0. The default value is 1.</param>
        /// <param name="iterations">Passes over the data, more than 0. The default value is 10.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 0.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec AveragedPerceptron(double learningRate = 1, int iterations = 10, double l2Regularization = 0)
        {
            const string name = "AveragedPerceptron";
            G.Positive(name, "learning_rate", learningRate);
            G.Positive(name, "iterations", iterations);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            return Binary(
                name,
                Parameters(("learning_rate", learningRate), ("iterations", iterations), ("l2_regularization", l2Regularization)),
                (ml, label, features) => ml.BinaryClassification.Trainers.AveragedPerceptron(
                    label, features, learningRate: (float)learningRate, numberOfIterations: iterations, l2Regularization: (float)l2Regularization),
                calibrated: false,
                needsNormalization: true);
        }

        // Keeps the model type so that one-versus-all can wrap the same trainer.
        private static TrainerSpec Binary<TModel>(
            string name,
            Dictionary<string, object> hyperparameters,
            Func<MLContext, string, string, ITrainerEstimator<BinaryPredictionTransformer<TModel>, TModel>> create,
            bool calibrated,
            bool needsNormalization)
            where TModel : class =>
            new(
                LearningTask.BinaryClassification,
                name,
                hyperparameters,
                (ml, label, features) => create(ml, label, features),
                calibrated,
                needsNormalization,
                (ml, label, features) => ml.MulticlassClassification.Trainers.OneVersusAll(create(ml, label, features), labelColumnName: label));
    }
}
