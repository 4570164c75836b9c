namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>experiments/search</c>: one page of experiments.</summary>
public sealed class SearchExperimentsResponse
{
    /// <summary>The <c>experiments</c> field.</summary>
    public List<ExperimentMessage>? Experiments { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
