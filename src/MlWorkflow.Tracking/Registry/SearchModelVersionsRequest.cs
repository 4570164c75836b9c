namespace MlWorkflow.Tracking.Registry;

/// <summary>The arguments of a model-version search (<c>model-versions/search</c>).</summary>
public sealed record SearchModelVersionsRequest
{
    /// <summary>The largest page size MLflow accepts.</summary>
    public const int MaxResultsLimit = 200_000;

    /// <summary>
    /// A filter on <c>name</c>, <c>run_id</c>, <c>source_path</c> (<c>=</c>, <c>!=</c>, <c>LIKE</c>, <c>ILIKE</c>, <c>IN</c>),
    /// <c>version_number</c> (numeric comparators) and <c>tags.&lt;key&gt;</c>, such as <c>name = 'm' AND version_number &gt; 2</c>.
    /// The default value is null (every version).
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>The page size, 1 to 200,000. The default value is 10,000 (what MLflow's Python client sends).</summary>
    public int MaxResults { get; init; } = 10_000;

    /// <summary>
    /// Ordering clauses on <c>name</c>, <c>version_number</c>, <c>creation_timestamp</c>, <c>last_updated_timestamp</c>;
    /// ties go by name, then version descending. The default value is empty: last updated first.
    /// </summary>
    public IReadOnlyList<string> OrderBy { get; init; } = Array.Empty<string>();

    /// <summary>The token of the page to return, from a previous page. The default value is null (the first page).</summary>
    public string? PageToken { get; init; }
}
