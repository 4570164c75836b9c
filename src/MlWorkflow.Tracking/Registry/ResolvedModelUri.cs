namespace MlWorkflow.Tracking.Registry;

/// <summary>Where a model URI leads: the concrete artifact URI, its local folder when it is on this machine, and the registry version it went through.</summary>
/// <param name="ModelUri">The URI that was resolved.</param>
/// <param name="ArtifactUri">The concrete artifact URI of the model (<c>file:</c>, a path, <c>mlflow-artifacts:</c>, <c>s3:</c>…).</param>
/// <param name="LocalPath">The absolute local folder of the model when the artifact URI is a <c>file:</c> URI or a path; null for remote storage.</param>
/// <param name="Version">The model version, for <c>models:/</c> URIs; null otherwise.</param>
/// <param name="RunId">The run that produced the model, when known.</param>
public sealed record ResolvedModelUri(string ModelUri, string ArtifactUri, string? LocalPath, ModelVersion? Version, string? RunId);
