namespace MlWorkflow.Tracking;

/// <summary>A tag on a run; tags can be overwritten and deleted.</summary>
/// <param name="Key">The tag name.</param>
/// <param name="Value">The value.</param>
public sealed record RunTag(string Key, string Value);
