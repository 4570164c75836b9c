namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>runs/search</c>: one page of runs.</summary>
public sealed class SearchRunsResponse
{
    /// <summary>The <c>runs</c> field.</summary>
    public List<RunMessage>? Runs { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
