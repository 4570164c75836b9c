namespace MlWorkflow.Tracking.Search;

/// <summary>
/// A parsed run search: a filter in MLflow's grammar and order_by keys, compiled once and evaluated on any number of
/// runs. <see cref="Matches"/> allocates nothing. A store reads <see cref="MetricKeys"/>, <see cref="ParamKeys"/>,
/// <see cref="TagKeys"/> and <see cref="UsesDatasets"/> to load only what the search needs. A parsed query is immutable:
/// <see cref="Matches"/>, <see cref="Comparer"/> and <see cref="Sort{T}"/> may run on several threads at once.
/// </summary>
/// <remarks>
/// Choices where MLflow's stores differ or its documentation is silent: a dot in a LIKE pattern is a literal dot (SQL
/// stores), a NaN metric fails every clause including <c>!=</c> and sorts last, a doubled quote inside quoted text stands
/// for one quote (<c>'it''s'</c>), and LIKE has no escape character.
/// </remarks>
internal sealed class RunSearchQuery
{
    private readonly RunClauseMatcher[] matchers;
    private readonly RunSearchComparer comparer;

    private RunSearchQuery(IReadOnlyList<SearchClause> clauses, IReadOnlyList<SearchOrderKey> orderBy)
    {
        Clauses = clauses;
        OrderBy = orderBy;
        matchers = clauses.Select(clause => new RunClauseMatcher(clause)).ToArray();
        MetricKeys = KeysOf(SearchIdentifierKind.Metric);
        ParamKeys = KeysOf(SearchIdentifierKind.Param);
        TagKeys = KeysOf(SearchIdentifierKind.Tag);
        UsesDatasets = clauses.Any(clause => clause.Kind == SearchIdentifierKind.Dataset);
        comparer = new RunSearchComparer(orderBy);

        HashSet<string> KeysOf(SearchIdentifierKind kind) =>
            clauses.Where(c => c.Kind == kind).Select(c => c.Key)
                .Concat(orderBy.Where(o => o.Kind == kind).Select(o => o.Key))
                .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The parsed filter clauses, in order.</summary>
    public IReadOnlyList<SearchClause> Clauses { get; }

    /// <summary>The parsed order_by keys, in order.</summary>
    public IReadOnlyList<SearchOrderKey> OrderBy { get; }

    /// <summary>The metric keys the filter or order_by names.</summary>
    public IReadOnlySet<string> MetricKeys { get; }

    /// <summary>The param keys the filter or order_by names.</summary>
    public IReadOnlySet<string> ParamKeys { get; }

    /// <summary>The tag keys the filter or order_by names.</summary>
    public IReadOnlySet<string> TagKeys { get; }

    /// <summary>Whether the filter has dataset clauses (so that runs' inputs must be read).</summary>
    public bool UsesDatasets { get; }

    /// <summary>MLflow's order: the order_by keys, then <c>start_time</c> DESC, then <c>run_id</c> ASC; missing values and NaN last.</summary>
    public IComparer<IRunSearchView> Comparer => comparer;

    /// <summary>Parses a filter and order_by clauses.</summary>
    /// <param name="filter">A filter such as <c>metrics.rmse &lt; 1 and params.model = 'rf'</c>; null or blank for none.</param>
    /// <param name="orderBy">Clauses such as <c>metrics.rmse DESC</c>; null or empty for MLflow's default order.</param>
    /// <returns>The compiled query.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/>, naming the offending token and its position.</exception>
    public static RunSearchQuery Parse(string? filter, IReadOnlyList<string>? orderBy) =>
        new(SearchFilterParser.Parse(filter, SearchGrammars.Runs), SearchOrderByParser.Parse(orderBy, SearchGrammars.Runs));

    /// <summary>
    /// Sorts runs in <see cref="Comparer"/>'s order, reading each run's sort values once: the fast way to order
    /// thousands of runs (the result equals <c>runs.Sort(Comparer)</c>).
    /// </summary>
    /// <param name="runs">The runs to sort in place.</param>
    public void Sort<T>(List<T> runs)
        where T : IRunSearchView
    {
        ArgumentNullException.ThrowIfNull(runs);
        comparer.Sort(runs);
    }

    /// <summary>Whether the run passes every clause of the filter.</summary>
    public bool Matches(IRunSearchView run)
    {
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(run))
            {
                return false;
            }
        }

        return true;
    }
}
