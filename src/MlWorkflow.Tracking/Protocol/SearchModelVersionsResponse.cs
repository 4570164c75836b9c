namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The answer of <c>model-versions/search</c>.</summary>
public sealed class SearchModelVersionsResponse
{
    /// <summary>The <c>model_versions</c> field.</summary>
    public List<ModelVersionMessage>? ModelVersions { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
