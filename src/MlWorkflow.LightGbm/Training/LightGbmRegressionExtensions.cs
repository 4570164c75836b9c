using Microsoft.ML.Trainers.LightGbm;

namespace MlWorkflow.Training;

/// <summary>
/// LightGBM in the regression catalog: <c>Trainers.Regression.LightGbm()</c>, a C# 14 static extension member of <see cref="Trainers.Regression"/>
/// (the same call as when LightGBM was part of MlWorkflow). Referencing this package also lists it in <see cref="Trainers.All"/>.
/// </summary>
public static class LightGbmRegressionExtensions
{
    extension(Trainers.Regression)
    {
        /// <summary>
        /// LightGBM gradient boosting with LightGBM's documented defaults, kept because they are already strong: on txhousing
        /// and diamonds (benchmark suite <c>defaults</c>) they are level with scikit-learn's random forest.
        /// </summary>
        /// <param name="iterations">Boosting iterations (trees), more than 0. The default value is 100.</param>
        /// <param name="leaves">Maximum leaves per tree, at least 2. The default value is 31.</param>
        /// <param name="minExamplesPerLeaf">Minimum examples in a leaf, more than 0. The default value is 20.</param>
        /// <param name="learningRate">Shrinkage, more than 0. The default value is 0.1.</param>
        /// <returns>
        /// The spec; its other hyperparameters keep ML.NET's defaults: <c>maximum_bin_count</c> 255, <c>l1_regularization</c> 0,
        /// <c>l2_regularization</c> 0.01, <c>feature_fraction</c> 1, <c>subsample_fraction</c> 1, <c>subsample_frequency</c> 0, <c>threads</c> auto.
        /// </returns>
        public static TrainerSpec LightGbm(int iterations = 100, int leaves = 31, int minExamplesPerLeaf = 20, double learningRate = 0.1) =>
            LightGbmTrainers.Regression.Create(("iterations", iterations), ("leaves", leaves), ("min_examples_per_leaf", minExamplesPerLeaf), ("learning_rate", learningRate));

        /// <summary>LightGBM gradient boosting with every ML.NET setting; a setting left null is chosen by ML.NET.</summary>
        /// <param name="options">ML.NET's options, copied (later changes do not reach the spec); the column names are replaced by the workflow's.</param>
        /// <returns>The spec.</returns>
        public static TrainerSpec LightGbm(LightGbmRegressionTrainer.Options options) => LightGbmTrainers.Regression.FromOptions(options);
    }
}
