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

    /// <summary>
    /// Sorts <paramref name="runs"/> in this order, reading each run's sort values once instead of at every comparison
    /// (the same order as <c>runs.Sort(comparer)</c>, several times faster on thousands of runs).
    /// </summary>
    public void Sort<T>(List<T> runs)
        where T : IRunSearchView
    {
        var count = runs.Count;
        if (count < 2)
        {
            return;
        }

        var columns = new SortColumn[keys.Length];
        for (var k = 0; k < keys.Length; k++)
        {
            columns[k] = SortColumn.Read(keys[k], runs);
        }

        var startTimes = new long[count];
        var runIds = new string[count];
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            startTimes[i] = runs[i].Info.StartTime;
            runIds[i] = runs[i].Info.RunId;
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            foreach (var column in columns)
            {
                var result = column.Compare(a, b);
                if (result != 0)
                {
                    return result;
                }
            }

            var byStart = startTimes[b].CompareTo(startTimes[a]);
            return byStart != 0 ? byStart : string.CompareOrdinal(runIds[a], runIds[b]);
        });

        var sorted = new T[count];
        for (var i = 0; i < count; i++)
        {
            sorted[i] = runs[order[i]];
        }

        for (var i = 0; i < count; i++)
        {
            runs[i] = sorted[i];
        }
    }

    /// <summary>The values of one sort key for every run of a list: numbers or strings, with presence.</summary>
    private sealed class SortColumn
    {
        private readonly bool ascending;
        private readonly bool[] present;
        private readonly double[]? numbers;
        private readonly string?[]? texts;

        private SortColumn(bool ascending, bool[] present, double[]? numbers, string?[]? texts)
        {
            this.ascending = ascending;
            this.present = present;
            this.numbers = numbers;
            this.texts = texts;
        }

        public static SortColumn Read<T>(SortKey key, List<T> runs)
            where T : IRunSearchView
        {
            var count = runs.Count;
            var present = new bool[count];
            var numeric = key.Kind == SearchIdentifierKind.Metric
                || (key.Kind == SearchIdentifierKind.Attribute && RunAttributes.IsNumeric(key.Attribute));
            var numbers = numeric ? new double[count] : null;
            var texts = numeric ? null : new string?[count];
            for (var i = 0; i < count; i++)
            {
                var run = runs[i];
                switch (key.Kind)
                {
                    case SearchIdentifierKind.Metric:
                        present[i] = run.TryGetMetric(key.Key, out numbers![i]) && !double.IsNaN(numbers[i]);
                        break;
                    case SearchIdentifierKind.Param:
                        present[i] = run.TryGetParam(key.Key, out texts![i]);
                        break;
                    case SearchIdentifierKind.Tag:
                        present[i] = run.TryGetTag(key.Key, out texts![i]);
                        break;
                    default:
                        if (numeric)
                        {
                            var time = RunAttributes.GetNumber(run.Info, key.Attribute);
                            present[i] = time.HasValue;
                            numbers![i] = time.GetValueOrDefault();
                        }
                        else
                        {
                            present[i] = true;
                            texts![i] = RunAttributes.GetText(run.Info, key.Attribute);
                        }

                        break;
                }
            }

            return new SortColumn(key.Ascending, present, numbers, texts);
        }

        public int Compare(int a, int b)
        {
            if (!present[a] || !present[b])
            {
                return present[a] == present[b] ? 0 : present[a] ? -1 : 1;
            }

            // Times are whole milliseconds well inside double's exact range, so one numeric path serves metrics and times.
            var result = numbers is not null ? numbers[a].CompareTo(numbers[b]) : string.CompareOrdinal(texts![a], texts[b]);
            return ascending ? result : -result;
        }
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
