namespace MlWorkflow.AutoMl;

/// <summary>What the automatic featurisation did with one column, and why.</summary>
/// <param name="Column">The column.</param>
/// <param name="Action">What was done: <c>dropped</c>, <c>one_hot</c>, <c>one_hot_hash</c>, <c>text</c>, <c>replace_missing</c>, <c>log_scaled</c> (a right-skewed number, never negative, scaled through the log-normal CDF), <c>kept</c>.</param>
/// <param name="Reason">Why, in one sentence (for a dropped column: constant, ID-like, or leaking the label).</param>
public sealed record AutoMlFeatureNote(string Column, string Action, string Reason);
