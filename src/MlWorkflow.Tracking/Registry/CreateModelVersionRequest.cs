namespace MlWorkflow.Tracking.Registry;

/// <summary>The arguments of <c>model-versions/create</c>.</summary>
/// <param name="Name">The registered model, which must exist.</param>
/// <param name="Source">The artifact URI of the model: a concrete location (<c>file:</c>, a path, <c>mlflow-artifacts:</c>, <c>s3:</c>…), or a <c>models:/</c> URI, which the file store resolves to that version's location.</param>
public sealed record CreateModelVersionRequest(string Name, string Source)
{
    /// <summary>The run that produced the model. The default value is null.</summary>
    public string? RunId { get; init; }

    /// <summary>Tags to set on the new version. The default value is empty.</summary>
    public IReadOnlyList<ModelVersionTag> Tags { get; init; } = Array.Empty<ModelVersionTag>();

    /// <summary>A link to the run in another tracking server. The default value is null.</summary>
    public string? RunLink { get; init; }

    /// <summary>A description. The default value is null.</summary>
    public string? Description { get; init; }
}
