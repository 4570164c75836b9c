namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The body of <c>log-parameter</c>, <c>set-tag</c> and <c>delete-tag</c>.</summary>
public sealed class RunKeyValueBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>run_uuid</c> field.</summary>
    public string? RunUuid { get; set; }

    /// <summary>The <c>key</c> field.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>value</c> field.</summary>
    public string? Value { get; set; }
}
