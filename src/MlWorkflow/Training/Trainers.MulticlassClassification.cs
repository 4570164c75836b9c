using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using G = MlWorkflow.Training.HyperparameterGuard;

namespace MlWorkflow.Training;

/// <content>Multiclass classification trainers.</content>
public static partial class Trainers
{
    /// <summary>Multiclass classification trainers: they predict one of several classes.</summary>
    public static class MulticlassClassification
    {
        /// <summary>LightGBM gradient boosting, one tree per class per iteration.</summary>
        /// <param name="iterations">Boosting iterations, more than 0. The default value is 100.</param>
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
                LearningTask.MulticlassClassification,
                name,
                Parameters(("iterations", iterations), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate)),
                (ml, label, features) => ml.MulticlassClassification.Trainers.LightGbm(WithColumns(
                    new LightGbmMulticlassTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minExamplesPerLeaf, LearningRate = learningRate },
                    label,
                    features)));
        }

        /// <summary>Maximum entropy (multinomial logistic regression) by SDCA, on one thread so that results repeat.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more; null lets ML.NET choose. The default is null.</param>
        /// <param name="maxIterations">Maximum passes over the data, more than 0; null lets ML.NET choose. The default is null.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec SdcaMaximumEntropy(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null)
        {
            const string name = "SdcaMaximumEntropy";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            if (maxIterations is { } m)
            {
                G.Positive(name, "max_iterations", m);
            }

            return new TrainerSpec(
                LearningTask.MulticlassClassification,
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations), ("threads", 1)),
                (ml, label, features) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(WithColumns(
                    new SdcaMaximumEntropyMulticlassTrainer.Options
                    {
                        L1Regularization = AsSingle(l1Regularization),
                        L2Regularization = AsSingle(l2Regularization),
                        MaximumNumberOfIterations = maxIterations,
                        NumberOfThreads = 1,
                    },
                    label,
                    features)),
                needsNormalization: true);
        }

        /// <summary>Maximum entropy (multinomial logistic regression) by L-BFGS.</summary>
        /// <param name="l1Regularization">L1 weight, 0 or more. The default value is 1.</param>
        /// <param name="l2Regularization">L2 weight, 0 or more. The default value is 1.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec LbfgsMaximumEntropy(double l1Regularization = 1, double l2Regularization = 1)
        {
            const string name = "LbfgsMaximumEntropy";
            G.NonNegative(name, "l1_regularization", l1Regularization);
            G.NonNegative(name, "l2_regularization", l2Regularization);
            return new TrainerSpec(
                LearningTask.MulticlassClassification,
                name,
                Parameters(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization)),
                (ml, label, features) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                    label, features, l1Regularization: (float)l1Regularization, l2Regularization: (float)l2Regularization),
                needsNormalization: true);
        }

        /// <summary>One binary classifier per class (one versus all), each from <paramref name="binaryTrainer"/>.</summary>
        /// <param name="binaryTrainer">A spec from <see cref="BinaryClassification"/>.</param>
        /// <returns>The spec; its params name the binary trainer (<c>binary_trainer</c>) and its hyperparameters.</returns>
        public static TrainerSpec OneVersusAll(TrainerSpec binaryTrainer)
        {
            ArgumentNullException.ThrowIfNull(binaryTrainer);
            if (binaryTrainer.Task != LearningTask.BinaryClassification)
            {
                throw new ArgumentException(
                    $"OneVersusAll wraps a binary classification trainer; {binaryTrainer.Name} is a {TrainerSpec.TaskName(binaryTrainer.Task)} trainer.",
                    nameof(binaryTrainer));
            }

            var hyperparameters = new Dictionary<string, object>(binaryTrainer.Hyperparameters, StringComparer.Ordinal)
            {
                ["binary_trainer"] = binaryTrainer.Name,
            };
            return new TrainerSpec(
                LearningTask.MulticlassClassification,
                "OneVersusAll",
                hyperparameters,
                binaryTrainer.OneVersusAllFactory,
                needsNormalization: binaryTrainer.NeedsNormalization);
        }
    }
}
