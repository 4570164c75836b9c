namespace MlWorkflow.Tracking;

/// <summary>A tag on an experiment.</summary>
/// <param name="Key">The tag name.</param>
/// <param name="Value">The value.</param>
public sealed record ExperimentTag(string Key, string Value);
