namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>GET /api/2.0/mlflow/artifacts/list</c>.</summary>
public sealed class ListArtifactsResponse
{
    /// <summary>The <c>root_uri</c> field.</summary>
    public string? RootUri { get; set; }

    /// <summary>The <c>files</c> field.</summary>
    public List<FileInfoMessage>? Files { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
