namespace MlWorkflow.Tracking.Registry;

/// <summary>The arguments of a registered-model search (<c>registered-models/search</c>).</summary>
public sealed record SearchRegisteredModelsRequest
{
    /// <summary>The largest page size MLflow accepts.</summary>
    public const int MaxResultsLimit = 1000;

    /// <summary>A filter on <c>name</c> and <c>tags.&lt;key&gt;</c> (<c>=</c>, <c>!=</c>, <c>LIKE</c>, <c>ILIKE</c>), such as <c>name LIKE 'sales-%'</c>. The default value is null (every model).</summary>
    public string? Filter { get; init; }

    /// <summary>The page size, 1 to 1000. The default value is 100.</summary>
    public int MaxResults { get; init; } = 100;

    /// <summary>Ordering clauses on <c>name</c>, <c>creation_timestamp</c>, <c>last_updated_timestamp</c> (with <c>ASC</c>/<c>DESC</c>); ties go by name. The default value is empty: by name.</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = Array.Empty<string>();

    /// <summary>The token of the page to return, from a previous page. The default value is null (the first page).</summary>
    public string? PageToken { get; init; }
}
