using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace MlWorkflow.Training;

/// <content>Multiclass classification trainers.</content>
public static partial class Trainers
{
    /// <summary>Multiclass classification trainers: they predict one of several classes.</summary>
    public static class MulticlassClassification
    {
        private const string BinaryTrainerParameter = "binary_trainer";

        private static readonly OptionsTrainer<SdcaMaximumEntropyMulticlassTrainer.Options> SdcaMaximumEntropyTrainer = TrainerFamilies.Sdca(
            "SdcaMaximumEntropy",
            LearningTask.MulticlassClassification,
            () => new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 },
            (ml, o) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(o));

        private static readonly OptionsTrainer<LbfgsMaximumEntropyMulticlassTrainer.Options> LbfgsMaximumEntropyTrainer =
            TrainerFamilies.Lbfgs<LbfgsMaximumEntropyMulticlassTrainer.Options>(
                "LbfgsMaximumEntropy", LearningTask.MulticlassClassification, (ml, o) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(o));

        private static readonly TrainerDescriptor[] BuiltIn =
        [
            SdcaMaximumEntropyTrainer.Descriptor,
            LbfgsMaximumEntropyTrainer.Descriptor,
        ];

        /// <summary>
        /// Every multiclass trainer of the catalog, with its hyperparameters, for a tuner to search; wrap a binary
        /// one with <see cref="OneVersusAll(TrainerDescriptor)"/> for more. Trainers from other packages
        /// (<see cref="TrainerCatalog.Register"/>) follow the built-in ones.
        /// </summary>
        public static IReadOnlyList<TrainerDescriptor> All => TrainerCatalog.WithRegistered(LearningTask.MulticlassClassification, BuiltIn);

        /// <summary>Maximum entropy (multinomial logistic regression) by SDCA, on one thread so that results repeat.</summary>
        /// <inheritdoc cref="Regression.Sdca(double?, double?, int?)"/>
        /// <returns>The spec; <c>convergence_tolerance</c> keeps ML.NET's default (0.1) and <c>threads</c> is 1.</returns>
        public static TrainerSpec SdcaMaximumEntropy(double? l1Regularization = null, double? l2Regularization = null, int? maxIterations = null) =>
            SdcaMaximumEntropyTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization), ("max_iterations", maxIterations));

        /// <summary>Maximum entropy by SDCA with every ML.NET setting (ML.NET's thread count, unless the options set one).</summary>
        /// <inheritdoc cref="Regression.Sdca(SdcaRegressionTrainer.Options)"/>
        public static TrainerSpec SdcaMaximumEntropy(SdcaMaximumEntropyMulticlassTrainer.Options options) => SdcaMaximumEntropyTrainer.FromOptions(options);

        /// <summary>Maximum entropy (multinomial logistic regression) by L-BFGS.</summary>
        /// <inheritdoc cref="Regression.Poisson(double, double)"/>
        public static TrainerSpec LbfgsMaximumEntropy(double l1Regularization = 1, double l2Regularization = 1) =>
            LbfgsMaximumEntropyTrainer.Create(("l1_regularization", l1Regularization), ("l2_regularization", l2Regularization));

        /// <summary>Maximum entropy by L-BFGS with every ML.NET setting.</summary>
        /// <inheritdoc cref="Regression.Poisson(LbfgsPoissonRegressionTrainer.Options)"/>
        public static TrainerSpec LbfgsMaximumEntropy(LbfgsMaximumEntropyMulticlassTrainer.Options options) => LbfgsMaximumEntropyTrainer.FromOptions(options);

        /// <summary>One binary classifier per class (one versus all), each from <paramref name="binaryTrainer"/>.</summary>
        /// <param name="binaryTrainer">A binary spec: from <see cref="BinaryClassification"/>, or a custom one whose estimator is an ML.NET binary trainer.</param>
        /// <returns>The spec; its params name the binary trainer (<c>binary_trainer</c>) and its hyperparameters.</returns>
        public static TrainerSpec OneVersusAll(TrainerSpec binaryTrainer)
        {
            ArgumentNullException.ThrowIfNull(binaryTrainer);
            var descriptor = OneVersusAllDescriptor(binaryTrainer.Descriptor, values => OneVersusAll(binaryTrainer.With(WithoutBinaryTrainer(values))));
            var values = new Dictionary<string, object?>(StringComparer.Ordinal) { [BinaryTrainerParameter] = binaryTrainer.Name };
            foreach (var (key, value) in binaryTrainer.Hyperparameters)
            {
                values[key] = value;
            }

            return new TrainerSpec(
                descriptor,
                descriptor.Resolve(values),
                context => OneVersusAllEstimator.Create(context, binaryTrainer.CreateEstimator(context.MLContext, context.LabelColumn, context.FeatureColumn), binaryTrainer.Name),
                changes => OneVersusAll(binaryTrainer.With(WithoutBinaryTrainer(changes))),
                binaryTrainer.UndescribedSettings);
        }

        /// <summary>One versus all over a binary trainer of the catalog, as a tuner sees it: the binary trainer's hyperparameters and <c>binary_trainer</c>.</summary>
        /// <param name="binaryTrainer">A descriptor from <see cref="BinaryClassification.All"/>, or a custom binary one.</param>
        /// <returns>The descriptor, named <c>OneVersusAll</c>.</returns>
        public static TrainerDescriptor OneVersusAll(TrainerDescriptor binaryTrainer)
        {
            ArgumentNullException.ThrowIfNull(binaryTrainer);
            return OneVersusAllDescriptor(binaryTrainer, values => OneVersusAll(binaryTrainer.Create(WithoutBinaryTrainer(values))));
        }

        private static TrainerDescriptor OneVersusAllDescriptor(TrainerDescriptor binary, Func<IReadOnlyDictionary<string, object?>, TrainerSpec> build)
        {
            if (binary.Task != LearningTask.BinaryClassification)
            {
#pragma warning disable CA2208 // names the parameter of the public OneVersusAll overload that called this helper
                throw new ArgumentException(
                    $"OneVersusAll wraps a binary classification trainer; {binary.Name} is a {TrainerSpec.TaskName(binary.Task)} trainer.",
                    "binaryTrainer");
#pragma warning restore CA2208
            }

            return new TrainerDescriptor(
                "OneVersusAll",
                LearningTask.MulticlassClassification,
                [
                    HyperparameterDescriptor.Categorical(BinaryTrainerParameter, "The binary trainer fitted once per class.", [binary.Name], binary.Name, searchable: false),
                    .. binary.Hyperparameters,
                ],
                binary.NeedsNormalization,
                producesProbability: true,
                build,
                binary.NeedsCache);
        }

        private static Dictionary<string, object?> WithoutBinaryTrainer(IReadOnlyDictionary<string, object?> values) =>
            values.Where(v => v.Key != BinaryTrainerParameter).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }
}
