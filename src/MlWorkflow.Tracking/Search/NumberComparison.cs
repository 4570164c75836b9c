namespace MlWorkflow.Tracking.Search;

/// <summary>Numeric comparisons of the grammar; NaN on the left fails every comparator, <c>!=</c> included.</summary>
internal static class NumberComparison
{
    /// <summary>Whether <c>left &lt;comparator&gt; right</c> holds.</summary>
    public static bool Matches(double left, SearchComparator comparator, double right)
    {
        if (double.IsNaN(left))
        {
            return false;
        }

        return comparator switch
        {
            SearchComparator.Equal => left == right,
            SearchComparator.NotEqual => left != right,
            SearchComparator.Greater => left > right,
            SearchComparator.GreaterOrEqual => left >= right,
            SearchComparator.Less => left < right,
            SearchComparator.LessOrEqual => left <= right,
            _ => false,
        };
    }
}
