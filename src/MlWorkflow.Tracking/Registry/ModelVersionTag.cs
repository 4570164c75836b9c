namespace MlWorkflow.Tracking.Registry;

/// <summary>A tag on a model version (MLflow's <c>ModelVersionTag</c>); tags can be overwritten and deleted.</summary>
/// <param name="Key">The tag name: letters, digits, <c>_ - . / :</c> and space, at most 250 characters.</param>
/// <param name="Value">The value, at most 5000 characters.</param>
public sealed record ModelVersionTag(string Key, string Value);
