using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/experiments/search</c> (also read from the query string of its GET form).</summary>
public sealed class SearchExperimentsBody
{
    /// <summary>The <c>max_results</c> field.</summary>
    public long? MaxResults { get; set; }

    /// <summary>The <c>page_token</c> field.</summary>
    public string? PageToken { get; set; }

    /// <summary>The <c>filter</c> field.</summary>
    public string? Filter { get; set; }

    /// <summary>The <c>order_by</c> field.</summary>
    public List<string>? OrderBy { get; set; }

    /// <summary>The <c>view_type</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? ViewType { get; set; }
}
