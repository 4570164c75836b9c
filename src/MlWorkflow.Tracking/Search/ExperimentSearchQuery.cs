namespace MlWorkflow.Tracking.Search;

/// <summary>
/// A parsed experiment search (https://mlflow.org/docs/latest/search-experiments.html): attributes <c>name</c>, <c>creation_time</c>,
/// <c>last_update_time</c> and <c>tags.&lt;key&gt;</c>, and order_by on <c>name</c>, <c>experiment_id</c>,
/// <c>creation_time</c>, <c>last_update_time</c>.
/// </summary>
internal sealed class ExperimentSearchQuery
{
    private readonly SearchClause[] clauses;
    private readonly StringCondition?[] conditions;

    private ExperimentSearchQuery(IReadOnlyList<SearchClause> clauses, IReadOnlyList<SearchOrderKey> orderBy)
    {
        this.clauses = clauses.ToArray();
        conditions = this.clauses
            .Select(c => c.Kind == SearchIdentifierKind.Tag || c.Key == "name" ? new StringCondition(c.Comparator, c.Value) : null)
            .ToArray();
        Comparer = new ExperimentSearchComparer(orderBy);
    }

    /// <summary>
    /// The order: the order_by keys then <c>experiment_id</c> DESC (unless order_by names it); with no order_by,
    /// <c>creation_time</c> DESC then <c>experiment_id</c> ASC. Ids compare as strings; missing times sort last.
    /// </summary>
    public IComparer<Experiment> Comparer { get; }

    /// <summary>Parses a filter and order_by clauses.</summary>
    /// <param name="filter">A filter such as <c>name LIKE 'sales-%' AND tags.team = 'ml'</c>; null or blank for none.</param>
    /// <param name="orderBy">Clauses such as <c>name ASC</c>; null or empty for the default order.</param>
    /// <returns>The compiled query.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/>, naming the offending token and its position.</exception>
    public static ExperimentSearchQuery Parse(string? filter, IReadOnlyList<string>? orderBy) =>
        new(SearchFilterParser.Parse(filter, SearchGrammars.Experiments), SearchOrderByParser.Parse(orderBy, SearchGrammars.Experiments));

    /// <summary>Whether the experiment passes every clause; a missing tag or time fails its clause.</summary>
    public bool Matches(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        for (var i = 0; i < clauses.Length; i++)
        {
            var clause = clauses[i];
            var condition = conditions[i];
            bool passes;
            if (clause.Kind == SearchIdentifierKind.Tag)
            {
                var value = FindTag(experiment.Tags, clause.Key);
                passes = value is not null && condition!.Matches(value);
            }
            else if (condition is not null)
            {
                passes = condition.Matches(experiment.Name);
            }
            else
            {
                var time = clause.Key == "creation_time" ? experiment.CreationTime : experiment.LastUpdateTime;
                passes = time.HasValue && NumberComparison.Matches(time.Value, clause.Comparator, clause.Value.Number);
            }

            if (!passes)
            {
                return false;
            }
        }

        return true;
    }

    private static string? FindTag(IReadOnlyList<ExperimentTag> tags, string key)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == key)
            {
                return tags[i].Value;
            }
        }

        return null;
    }
}
