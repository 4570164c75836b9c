namespace MlWorkflow.Evaluation;

/// <summary>
/// The permutation importance of one feature (a slot of the <c>Features</c> vector): how much the task's main
/// metric worsens when that feature's values are shuffled. Positive means the model relies on it.
/// </summary>
/// <param name="Feature">The slot name (for example <c>carat</c> or <c>cut.Ideal</c>).</param>
/// <param name="Importance">The mean worsening of the main metric (regression: RMSE increase; binary: AUC drop; multiclass: micro-accuracy drop).</param>
/// <param name="StandardDeviation">Its standard deviation over the permutations.</param>
public sealed record FeatureImportance(string Feature, double Importance, double StandardDeviation);
