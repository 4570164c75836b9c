namespace MlWorkflow.Tracking;

/// <summary>A run parameter: a key logged once with a string value.</summary>
/// <param name="Key">The parameter name.</param>
/// <param name="Value">The value, as text.</param>
public sealed record Param(string Key, string Value);
