namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>GET /api/2.0/mlflow/metrics/get-history</c>: one page of a metric's values.</summary>
public sealed class MetricHistoryResponse
{
    /// <summary>The <c>metrics</c> field.</summary>
    public List<MetricMessage>? Metrics { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
