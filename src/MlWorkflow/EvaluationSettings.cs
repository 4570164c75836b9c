namespace MlWorkflow;

/// <summary>What <see cref="Workflow.Evaluate"/> adds to the metrics.</summary>
/// <param name="Plots">Whether to draw PNG plots.</param>
/// <param name="FeatureImportance">Whether to compute permutation feature importance.</param>
/// <param name="Permutations">Shuffles per feature for the importance.</param>
/// <param name="PlotsFolder">Where the plots go; null for a new folder under the temp folder.</param>
public sealed record EvaluationSettings(bool Plots, bool FeatureImportance, int Permutations, string? PlotsFolder);
