namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The body of <c>log-metric</c>.</summary>
public sealed class LogMetricBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>run_uuid</c> field.</summary>
    public string? RunUuid { get; set; }

    /// <summary>The <c>key</c> field.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>value</c> field.</summary>
    public double? Value { get; set; }

    /// <summary>The <c>timestamp</c> field.</summary>
    public long? Timestamp { get; set; }

    /// <summary>The <c>step</c> field.</summary>
    public long? Step { get; set; }
}
