using Microsoft.ML.Trainers.LightGbm;

namespace MlWorkflow.Training;

/// <summary>
/// LightGBM in the binary classification catalog: <c>Trainers.BinaryClassification.LightGbm()</c>, a C# 14 static extension member of <see cref="Trainers.BinaryClassification"/>
/// (the same call as when LightGBM was part of MlWorkflow). Referencing this package also lists it in <see cref="Trainers.All"/>.
/// </summary>
public static class LightGbmBinaryClassificationExtensions
{
    extension(Trainers.BinaryClassification)
    {
        /// <summary>LightGBM gradient boosting, calibrated.</summary>
        /// <param name="iterations">Boosting iterations (trees), more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 31.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 20.</param>
        /// <param name="learningRate">Shrinkage, more than 0. The default value is 0.1.</param>
        /// <returns>The spec; its other hyperparameters keep ML.NET's defaults (as for regression).</returns>
        public static TrainerSpec LightGbm(int iterations = 100, int leaves = 31, int minExamplesPerLeaf = 20, double learningRate = 0.1) =>
            LightGbmTrainers.BinaryClassification.Create(("iterations", iterations), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate));

        /// <summary>LightGBM gradient boosting with every ML.NET setting; a setting left null is chosen by ML.NET.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec LightGbm(LightGbmBinaryTrainer.Options options) => LightGbmTrainers.BinaryClassification.FromOptions(options);
    }
}
