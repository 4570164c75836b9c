namespace MlWorkflow.Tracking;

/// <summary>The arguments of an experiment search (<c>experiments/search</c>).</summary>
public sealed record SearchExperimentsRequest
{
    /// <summary>A filter in MLflow's grammar, such as <c>name LIKE 'sales%'</c> or <c>tags.team = 'a'</c>. The default value is null (every experiment).</summary>
    public string? Filter { get; init; }

    /// <summary>Which lifecycle stages to return. The default value is <see cref="ViewType.ActiveOnly"/>.</summary>
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;

    /// <summary>The page size, 1 to 50,000. The default value is 1000.</summary>
    public int MaxResults { get; init; } = 1000;

    /// <summary>Ordering clauses such as <c>name ASC</c> or <c>creation_time DESC</c>. The default value is empty: newest first, then by id.</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = Array.Empty<string>();

    /// <summary>The token of the page to return, from a previous page. The default value is null (the first page).</summary>
    public string? PageToken { get; init; }
}
