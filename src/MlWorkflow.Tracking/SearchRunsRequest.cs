namespace MlWorkflow.Tracking;

/// <summary>The arguments of a run search (<c>runs/search</c>).</summary>
public sealed record SearchRunsRequest
{
    /// <summary>The most results MLflow returns in one page.</summary>
    public const int MaxResultsLimit = 50_000;

    /// <summary>The experiments to search. The default value is empty, which a store rejects: name at least one.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = Array.Empty<string>();

    /// <summary>A filter in MLflow's grammar, such as <c>metrics.rmse &lt; 0.5 and params.depth = '5'</c>. The default value is null (every run).</summary>
    public string? Filter { get; init; }

    /// <summary>Which lifecycle stages to return. The default value is <see cref="ViewType.ActiveOnly"/>.</summary>
    public ViewType RunViewType { get; init; } = ViewType.ActiveOnly;

    /// <summary>The page size, 1 to 50,000. The default value is 1000.</summary>
    public int MaxResults { get; init; } = 1000;

    /// <summary>Ordering clauses such as <c>metrics.rmse ASC</c> or <c>attributes.start_time DESC</c>. The default value is empty: newest start time first.</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = Array.Empty<string>();

    /// <summary>The token of the page to return, from a previous page. The default value is null (the first page).</summary>
    public string? PageToken { get; init; }
}
