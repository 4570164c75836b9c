using System.Globalization;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Search;

/// <summary>
/// A parsed model-version search (https://mlflow.org/docs/latest/rest-api.html): <c>name</c>, <c>run_id</c>, <c>source_path</c> (the
/// version's source), <c>version_number</c> and <c>tags.&lt;key&gt;</c>; order_by on <c>name</c>,
/// <c>version_number</c>, <c>creation_timestamp</c>, <c>last_updated_timestamp</c>, ties broken by <c>name</c> ASC
/// then <c>version_number</c> DESC.
/// </summary>
internal sealed class ModelVersionSearchQuery
{
    private readonly SearchClause[] clauses;
    private readonly RegistrySearchComparer<ModelVersion> comparer;
    private readonly StringCondition?[] conditions;

    private ModelVersionSearchQuery(IReadOnlyList<SearchClause> clauses, IReadOnlyList<SearchOrderKey> orderBy)
    {
        this.clauses = clauses.ToArray();
        conditions = this.clauses
            .Select(c => c.Key == "version_number" && c.Kind == SearchIdentifierKind.Attribute ? null : new StringCondition(c.Comparator, c.Value))
            .ToArray();
        comparer = new RegistrySearchComparer<ModelVersion>(
            orderBy,
            [new SearchOrderKey(SearchIdentifierKind.Attribute, "last_updated_timestamp", Ascending: false)],
            [
                new SearchOrderKey(SearchIdentifierKind.Attribute, "name", Ascending: true),
                new SearchOrderKey(SearchIdentifierKind.Attribute, "version_number", Ascending: false),
            ],
            CompareBy);
    }

    /// <summary>
    /// The order: the order_by keys (with none, <c>last_updated_timestamp</c> DESC), then <c>name</c> ASC and
    /// <c>version_number</c> DESC unless named.
    /// </summary>
    public IComparer<ModelVersion> Comparer => comparer;

    /// <summary>The parsed filter clauses, in order (what a SQL store translates).</summary>
    public IReadOnlyList<SearchClause> Clauses => clauses;

    /// <summary>The effective order: the order_by keys (or the default), then the tie-breakers they did not name.</summary>
    public IReadOnlyList<SearchOrderKey> OrderKeys => comparer.Keys;

    /// <summary>Parses a filter and order_by clauses.</summary>
    /// <param name="filter">A filter such as <c>name = 'm' AND version_number &gt; 2</c>; null or blank for none.</param>
    /// <param name="orderBy">Clauses such as <c>version_number DESC</c>; null or empty for the default order.</param>
    /// <returns>The compiled query.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/>, naming the offending token and its position.</exception>
    public static ModelVersionSearchQuery Parse(string? filter, IReadOnlyList<string>? orderBy) =>
        new(SearchFilterParser.Parse(filter, SearchGrammars.ModelVersions), SearchOrderByParser.Parse(orderBy, SearchGrammars.ModelVersions));

    /// <summary>Whether the version passes every clause; a missing tag or run id fails its clause, <c>!=</c> included.</summary>
    public bool Matches(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        for (var i = 0; i < clauses.Length; i++)
        {
            var clause = clauses[i];
            var condition = conditions[i];
            bool passes;
            if (condition is null)
            {
                passes = NumberComparison.Matches(version.Version, clause.Comparator, clause.Value.Number);
            }
            else
            {
                var text = clause.Kind == SearchIdentifierKind.Tag
                    ? version.GetTag(clause.Key)
                    : clause.Key switch
                    {
                        "name" => version.Name,
                        "run_id" => version.RunId,
                        _ => version.Source,
                    };
                passes = text is not null && condition.Matches(text);
            }

            if (!passes)
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareBy(string key, ModelVersion x, ModelVersion y) => key switch
    {
        "name" => string.CompareOrdinal(x.Name, y.Name),
        "version_number" => x.Version.CompareTo(y.Version),
        "creation_timestamp" => x.CreationTimestamp.CompareTo(y.CreationTimestamp),
        "last_updated_timestamp" => x.LastUpdatedTimestamp.CompareTo(y.LastUpdatedTimestamp),
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unknown order key '{key}'."), nameof(key)),
    };
}
