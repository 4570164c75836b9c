namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/runs/log-batch</c>.</summary>
public sealed class LogBatchBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>metrics</c> field.</summary>
    public List<MetricMessage>? Metrics { get; set; }

    /// <summary>The <c>params</c> field.</summary>
    public List<KeyValueMessage>? Params { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}
