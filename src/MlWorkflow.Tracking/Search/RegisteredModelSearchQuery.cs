using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Search;

/// <summary>
/// A parsed registered-model search (https://mlflow.org/docs/latest/rest-api.html): <c>name</c> and <c>tags.&lt;key&gt;</c> with
/// <c>=</c>, <c>!=</c>, <c>LIKE</c>, <c>ILIKE</c>; order_by on <c>name</c>, <c>creation_timestamp</c>,
/// <c>last_updated_timestamp</c>, ties broken by <c>name</c> ASC.
/// </summary>
internal sealed class RegisteredModelSearchQuery
{
    private readonly SearchClause[] clauses;
    private readonly RegistrySearchComparer<RegisteredModel> comparer;
    private readonly StringCondition[] conditions;

    private RegisteredModelSearchQuery(IReadOnlyList<SearchClause> clauses, IReadOnlyList<SearchOrderKey> orderBy)
    {
        this.clauses = clauses.ToArray();
        conditions = this.clauses.Select(c => new StringCondition(c.Comparator, c.Value)).ToArray();
        comparer = new RegistrySearchComparer<RegisteredModel>(
            orderBy,
            [new SearchOrderKey(SearchIdentifierKind.Attribute, "name", Ascending: true)],
            [new SearchOrderKey(SearchIdentifierKind.Attribute, "name", Ascending: true)],
            CompareBy);
    }

    /// <summary>The order: the order_by keys, then <c>name</c> ASC unless named; with no order_by, <c>name</c> ASC.</summary>
    public IComparer<RegisteredModel> Comparer => comparer;

    /// <summary>The parsed filter clauses, in order (what a SQL store translates).</summary>
    public IReadOnlyList<SearchClause> Clauses => clauses;

    /// <summary>The effective order: the order_by keys (or the default), then the tie-breakers they did not name.</summary>
    public IReadOnlyList<SearchOrderKey> OrderKeys => comparer.Keys;

    /// <summary>Parses a filter and order_by clauses.</summary>
    /// <param name="filter">A filter such as <c>name LIKE 'sales-%' AND tags.owner = 'me'</c>; null or blank for none.</param>
    /// <param name="orderBy">Clauses such as <c>last_updated_timestamp DESC</c>; null or empty for the default order.</param>
    /// <returns>The compiled query.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/>, naming the offending token and its position.</exception>
    public static RegisteredModelSearchQuery Parse(string? filter, IReadOnlyList<string>? orderBy) =>
        new(SearchFilterParser.Parse(filter, SearchGrammars.RegisteredModels), SearchOrderByParser.Parse(orderBy, SearchGrammars.RegisteredModels));

    /// <summary>Whether the model passes every clause; a missing tag fails its clause, <c>!=</c> included.</summary>
    public bool Matches(RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        for (var i = 0; i < clauses.Length; i++)
        {
            var text = clauses[i].Kind == SearchIdentifierKind.Tag ? model.GetTag(clauses[i].Key) : model.Name;
            if (text is null || !conditions[i].Matches(text))
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareBy(string key, RegisteredModel x, RegisteredModel y) => key switch
    {
        "name" => string.CompareOrdinal(x.Name, y.Name),
        "creation_timestamp" => x.CreationTimestamp.CompareTo(y.CreationTimestamp),
        _ => x.LastUpdatedTimestamp.CompareTo(y.LastUpdatedTimestamp),
    };
}
