namespace MlWorkflow.Tracking;

/// <summary>A tag on a dataset input of a run, such as <c>mlflow.data.context</c> = <c>training</c>.</summary>
/// <param name="Key">The tag name.</param>
/// <param name="Value">The value.</param>
public sealed record InputTag(string Key, string Value);
