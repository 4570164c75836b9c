namespace MlWorkflow.Tracking.Search;

/// <summary>
/// Orders registry search results: the order_by keys (or a default when there are none), then tie-breakers that
/// order_by did not name. Every registry field is always present, so there is no "missing sorts last" rule here.
/// </summary>
/// <typeparam name="T">A registered model or a model version.</typeparam>
internal sealed class RegistrySearchComparer<T> : IComparer<T>
    where T : class
{
    private readonly SearchOrderKey[] keys;
    private readonly Func<string, T, T, int> compareBy;

    /// <summary>Compiles the keys.</summary>
    /// <param name="orderBy">The parsed order_by keys.</param>
    /// <param name="defaultOrder">The keys used when <paramref name="orderBy"/> is empty.</param>
    /// <param name="tieBreakers">Keys appended unless a key of the same field is already there.</param>
    /// <param name="compareBy">Compares two items ascending by one field.</param>
    public RegistrySearchComparer(IReadOnlyList<SearchOrderKey> orderBy, IReadOnlyList<SearchOrderKey> defaultOrder, IReadOnlyList<SearchOrderKey> tieBreakers, Func<string, T, T, int> compareBy)
    {
        var list = new List<SearchOrderKey>(orderBy.Count > 0 ? orderBy : defaultOrder);
        foreach (var tieBreaker in tieBreakers)
        {
            if (!list.Any(key => key.Key == tieBreaker.Key))
            {
                list.Add(tieBreaker);
            }
        }

        keys = list.ToArray();
        this.compareBy = compareBy;
    }

    /// <summary>The effective keys, in order: the order_by keys (or the default), then the tie-breakers they did not name (what a SQL store orders by).</summary>
    public IReadOnlyList<SearchOrderKey> Keys => keys;

    /// <inheritdoc />
    public int Compare(T? x, T? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        foreach (var key in keys)
        {
            var result = compareBy(key.Key, x, y);
            if (result != 0)
            {
                return key.Ascending ? result : -result;
            }
        }

        return 0;
    }
}
