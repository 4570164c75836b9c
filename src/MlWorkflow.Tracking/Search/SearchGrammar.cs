namespace MlWorkflow.Tracking.Search;

/// <summary>
/// The validation tables of one searchable entity kind (runs, experiments; registered models and model versions later):
/// which entity prefixes name what, which attributes exist with which types and comparators, and what order_by accepts.
/// The tokenizer and parsers are shared; only these tables differ.
/// </summary>
/// <remarks>Plain dictionaries, not frozen ones: the tables hold a few entries, and freezing them cost a new process tens of milliseconds before its first search.</remarks>
internal sealed class SearchGrammar
{
    /// <summary>What is searched, for messages: <c>runs</c>, <c>experiments</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Entity prefix (case-sensitive, unquoted) to kind; the empty string is the kind of an identifier without a prefix.</summary>
    /// <remarks>An array searched in order, not a dictionary keyed by text with enum values: that is compiled anew in each process.</remarks>
    public required (string Prefix, SearchIdentifierKind Kind)[] Entities { get; init; }

    /// <summary>The kind an entity prefix names (case-sensitive).</summary>
    public bool TryGetEntity(string prefix, out SearchIdentifierKind kind)
    {
        foreach (var entity in Entities)
        {
            if (string.Equals(entity.Prefix, prefix, StringComparison.Ordinal))
            {
                kind = entity.Kind;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Attribute name or alias (case-sensitive) to its rule; the rule's field is the canonical name.</summary>
    public required IReadOnlyDictionary<string, SearchFieldRule> Attributes { get; init; }

    /// <summary>The rule of any metric key; null where metrics are not searchable.</summary>
    /// <remarks>Properties and a switch, not a dictionary or set keyed by the enum: those are compiled anew in each process.</remarks>
    public SearchFieldRule? MetricRule { get; init; }

    /// <summary>The rule of any param key; null where params are not searchable.</summary>
    public SearchFieldRule? ParamRule { get; init; }

    /// <summary>The rule of any tag key; null where tags are not searchable.</summary>
    public SearchFieldRule? TagRule { get; init; }

    /// <summary>Dataset field name to its rule; empty where datasets are not searchable.</summary>
    public IReadOnlyDictionary<string, SearchFieldRule> DatasetFields { get; init; } = new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal);

    /// <summary>The kinds order_by accepts besides attributes.</summary>
    public required SearchIdentifierKind[] OrderByKinds { get; init; }

    /// <summary>Attribute name or alias accepted by order_by to its canonical name.</summary>
    public required IReadOnlyDictionary<string, string> OrderByAttributes { get; init; }

    /// <summary>The rule of a keyed kind's keys.</summary>
    /// <exception cref="KeyNotFoundException">The grammar has no keys of that kind.</exception>
    public SearchFieldRule KeyedRule(SearchIdentifierKind kind) => kind switch
    {
        SearchIdentifierKind.Metric => MetricRule,
        SearchIdentifierKind.Param => ParamRule,
        SearchIdentifierKind.Tag => TagRule,
        _ => null,
    } ?? throw new KeyNotFoundException($"The {Subject} grammar has no {KindName(kind)} keys.");

    /// <summary>Whether order_by accepts keys of a kind.</summary>
    public bool OrdersBy(SearchIdentifierKind kind)
    {
        foreach (var accepted in OrderByKinds)
        {
            if (accepted == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entity prefixes, for messages.</summary>
    public string DescribeEntities() => string.Join(", ", Entities.Select(e => e.Prefix).Where(k => k.Length > 0).Order(StringComparer.Ordinal));

    /// <summary>The name of a kind, for messages.</summary>
    public static string KindName(SearchIdentifierKind kind) => kind switch
    {
        SearchIdentifierKind.Metric => "metric",
        SearchIdentifierKind.Param => "param",
        SearchIdentifierKind.Tag => "tag",
        SearchIdentifierKind.Dataset => "dataset",
        _ => "attribute",
    };
}
