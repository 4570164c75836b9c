namespace MlWorkflow.Tracking.Search;

/// <summary>The comparators of the grammar; flags, so that a set of allowed comparators is one value.</summary>
[Flags]
internal enum SearchComparator
{
    /// <summary>No comparator.</summary>
    None = 0,

    /// <summary><c>=</c>.</summary>
    Equal = 1,

    /// <summary><c>!=</c>.</summary>
    NotEqual = 2,

    /// <summary><c>&gt;</c>.</summary>
    Greater = 4,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual = 8,

    /// <summary><c>&lt;</c>.</summary>
    Less = 16,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual = 32,

    /// <summary><c>LIKE</c>: case-sensitive pattern.</summary>
    Like = 64,

    /// <summary><c>ILIKE</c>: case-insensitive pattern.</summary>
    ILike = 128,

    /// <summary><c>IN (…)</c>.</summary>
    In = 256,

    /// <summary><c>NOT IN (…)</c>.</summary>
    NotIn = 512,

    /// <summary>The comparators of numbers.</summary>
    Numeric = Equal | NotEqual | Greater | GreaterOrEqual | Less | LessOrEqual,

    /// <summary>The comparators of strings.</summary>
    Text = Equal | NotEqual | Like | ILike,

    /// <summary>The list comparators.</summary>
    List = In | NotIn,
}

/// <summary>Names of comparators for messages.</summary>
internal static class SearchComparators
{
    private static readonly (SearchComparator Comparator, string Name)[] Names =
    [
        (SearchComparator.Equal, "="), (SearchComparator.NotEqual, "!="), (SearchComparator.Greater, ">"),
        (SearchComparator.GreaterOrEqual, ">="), (SearchComparator.Less, "<"), (SearchComparator.LessOrEqual, "<="),
        (SearchComparator.Like, "LIKE"), (SearchComparator.ILike, "ILIKE"), (SearchComparator.In, "IN"), (SearchComparator.NotIn, "NOT IN"),
    ];

    /// <summary>The comparator written as an operator (<c>=</c>, <c>!=</c>, <c>&lt;</c>…), or None.</summary>
    public static SearchComparator FromOperator(string text) => text switch
    {
        "=" => SearchComparator.Equal,
        "!=" => SearchComparator.NotEqual,
        ">" => SearchComparator.Greater,
        ">=" => SearchComparator.GreaterOrEqual,
        "<" => SearchComparator.Less,
        "<=" => SearchComparator.LessOrEqual,
        _ => SearchComparator.None,
    };

    /// <summary>The comparators of a set, listed: <c>=, !=, LIKE, ILIKE</c>.</summary>
    public static string Describe(SearchComparator set) =>
        string.Join(", ", Names.Where(n => (set & n.Comparator) != 0).Select(n => n.Name));
}
