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
    public required IReadOnlyDictionary<string, SearchIdentifierKind> Entities { get; init; }

    /// <summary>Attribute name or alias (case-sensitive) to its rule; the rule's field is the canonical name.</summary>
    public required IReadOnlyDictionary<string, SearchFieldRule> Attributes { get; init; }

    /// <summary>The rule of any key of the keyed kinds (metrics, params, tags).</summary>
    public required IReadOnlyDictionary<SearchIdentifierKind, SearchFieldRule> KeyedRules { get; init; }

    /// <summary>Dataset field name to its rule; empty where datasets are not searchable.</summary>
    public IReadOnlyDictionary<string, SearchFieldRule> DatasetFields { get; init; } = new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal);

    /// <summary>The kinds order_by accepts besides attributes.</summary>
    public required IReadOnlySet<SearchIdentifierKind> OrderByKinds { get; init; }

    /// <summary>Attribute name or alias accepted by order_by to its canonical name.</summary>
    public required IReadOnlyDictionary<string, string> OrderByAttributes { get; init; }

    /// <summary>The entity prefixes, for messages.</summary>
    public string DescribeEntities() => string.Join(", ", Entities.Keys.Where(k => k.Length > 0).Order(StringComparer.Ordinal));

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
