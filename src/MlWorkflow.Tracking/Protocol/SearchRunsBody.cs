using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/runs/search</c>.</summary>
public sealed class SearchRunsBody
{
    /// <summary>The <c>experiment_ids</c> field.</summary>
    public List<string>? ExperimentIds { get; set; }

    /// <summary>The <c>filter</c> field.</summary>
    public string? Filter { get; set; }

    /// <summary>The <c>run_view_type</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? RunViewType { get; set; }

    /// <summary>The <c>max_results</c> field.</summary>
    public int? MaxResults { get; set; }

    /// <summary>The <c>order_by</c> field.</summary>
    public List<string>? OrderBy { get; set; }

    /// <summary>The <c>page_token</c> field.</summary>
    public string? PageToken { get; set; }
}
