namespace MlWorkflow.Tracking.Search;

/// <summary>A compiled string test: <c>=</c> and <c>!=</c> (ordinal, case-sensitive), LIKE, ILIKE, IN, NOT IN.</summary>
internal sealed class StringCondition
{
    private readonly SearchComparator comparator;
    private readonly string? value;
    private readonly LikePattern? pattern;
    private readonly HashSet<string>? set;

    /// <summary>Compiles a comparator with a scalar value or a list.</summary>
    public StringCondition(SearchComparator comparator, SearchValue value)
    {
        this.comparator = comparator;
        switch (comparator)
        {
            case SearchComparator.Like or SearchComparator.ILike:
                pattern = new LikePattern(value.Text!, comparator == SearchComparator.ILike);
                break;
            case SearchComparator.In or SearchComparator.NotIn:
                set = new HashSet<string>(value.List!, StringComparer.Ordinal);
                break;
            default:
                this.value = value.Text!;
                break;
        }
    }

    /// <summary>Whether <paramref name="text"/> passes the test.</summary>
    public bool Matches(string text) => comparator switch
    {
        SearchComparator.Equal => string.Equals(text, value, StringComparison.Ordinal),
        SearchComparator.NotEqual => !string.Equals(text, value, StringComparison.Ordinal),
        SearchComparator.Like or SearchComparator.ILike => pattern!.IsMatch(text),
        SearchComparator.In => set!.Contains(text),
        SearchComparator.NotIn => !set!.Contains(text),
        _ => false,
    };
}
