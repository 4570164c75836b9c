namespace MlWorkflow.Tracking.Search;

/// <summary>
/// Orders runs as MLflow does: by the order_by keys left to right, then <c>start_time</c> DESC, then <c>run_id</c> ASC.
/// A run missing a key (or with a NaN metric) sorts after the runs that have it, for ASC and DESC alike. Metrics compare
/// as numbers, params, tags and text attributes as ordinal strings.
/// </summary>
internal sealed class RunSearchComparer : IComparer<IRunSearchView>
{
    private readonly SortKey[] keys;

    /// <summary>Compiles order_by keys validated by <see cref="SearchGrammars.Runs"/>.</summary>
    public RunSearchComparer(IReadOnlyList<SearchOrderKey> orderBy)
    {
        keys = orderBy.Select(key => new SortKey(
            key.Kind,
            key.Key,
            key.Kind == SearchIdentifierKind.Attribute ? RunAttributes.FromField(key.Key) : default,
            key.Ascending)).ToArray();
    }

    /// <inheritdoc />
    public int Compare(IRunSearchView? x, IRunSearchView? y)
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
            var result = key.Compare(x, y);
            if (result != 0)
            {
                return result;
            }
        }

        var byStart = y.Info.StartTime.CompareTo(x.Info.StartTime);
        return byStart != 0 ? byStart : string.CompareOrdinal(x.Info.RunId, y.Info.RunId);
    }

    private readonly record struct SortKey(SearchIdentifierKind Kind, string Key, RunAttribute Attribute, bool Ascending)
    {
        public int Compare(IRunSearchView x, IRunSearchView y)
        {
            int result;
            switch (Kind)
            {
                case SearchIdentifierKind.Metric:
                {
                    var hasX = x.TryGetMetric(Key, out var a) && !double.IsNaN(a);
                    var hasY = y.TryGetMetric(Key, out var b) && !double.IsNaN(b);
                    if (!hasX || !hasY)
                    {
                        return MissingLast(hasX, hasY);
                    }

                    result = a.CompareTo(b);
                    break;
                }

                case SearchIdentifierKind.Param:
                {
                    var hasX = x.TryGetParam(Key, out var a);
                    var hasY = y.TryGetParam(Key, out var b);
                    if (!hasX || !hasY)
                    {
                        return MissingLast(hasX, hasY);
                    }

                    result = string.CompareOrdinal(a, b);
                    break;
                }

                case SearchIdentifierKind.Tag:
                {
                    var hasX = x.TryGetTag(Key, out var a);
                    var hasY = y.TryGetTag(Key, out var b);
                    if (!hasX || !hasY)
                    {
                        return MissingLast(hasX, hasY);
                    }

                    result = string.CompareOrdinal(a, b);
                    break;
                }

                default:
                    if (RunAttributes.IsNumeric(Attribute))
                    {
                        var a = RunAttributes.GetNumber(x.Info, Attribute);
                        var b = RunAttributes.GetNumber(y.Info, Attribute);
                        if (!a.HasValue || !b.HasValue)
                        {
                            return MissingLast(a.HasValue, b.HasValue);
                        }

                        result = a.Value.CompareTo(b.Value);
                    }
                    else
                    {
                        result = string.CompareOrdinal(RunAttributes.GetText(x.Info, Attribute), RunAttributes.GetText(y.Info, Attribute));
                    }

                    break;
            }

            return Ascending ? result : -result;
        }

        private static int MissingLast(bool hasX, bool hasY) => hasX == hasY ? 0 : hasX ? -1 : 1;
    }
}
