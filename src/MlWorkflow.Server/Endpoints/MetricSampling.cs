namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// The step sampling of <c>metrics/get-history-bulk-interval</c> (MLflow's REST API documentation, GetMetricHistoryBulkInterval):
/// at most <c>max_results</c> evenly spaced steps of the steps of all runs together, plus each run's first and last step,
/// so that a chart of a million points draws from a few thousand and still shows where each run starts and ends.
/// </summary>
internal static class MetricSampling
{
    /// <summary>The most points one run contributes to an answer, as MLflow.</summary>
    public const int MaxPointsPerRun = 25_000;

    /// <summary>The default and largest <c>max_results</c>.</summary>
    public const int MaxResults = 2500;

    /// <summary>The steps to return for the histories of several runs.</summary>
    /// <param name="histories">Each run's points of the metric (in any order).</param>
    /// <param name="start">The first step of the range; null with <paramref name="end"/> for 0 to the last step.</param>
    /// <param name="end">The last step of the range.</param>
    /// <param name="maxResults">The sample size.</param>
    /// <returns>The steps to keep.</returns>
    public static HashSet<long> SampleSteps(IReadOnlyList<IReadOnlyList<Metric>> histories, long? start, long? end, int maxResults) =>
        SampleSteps(histories, start, end, maxResults, wholeRange: false);

    /// <summary>The steps to return; with <paramref name="wholeRange"/> and no range given, from the first step (negative ones too) to the last.</summary>
    public static HashSet<long> SampleSteps(IReadOnlyList<IReadOnlyList<Metric>> histories, long? start, long? end, int maxResults, bool wholeRange)
    {
        var total = 0;
        foreach (var history in histories)
        {
            total += history.Count;
        }

        // A sorted array, deduplicated in place: a million points sort in tens of milliseconds, where a hash set of them costs several times that.
        var steps = new long[total];
        var edges = new List<long>(histories.Count * 2);
        var at = 0;
        var sorted = true;
        foreach (var history in histories)
        {
            if (history.Count == 0)
            {
                continue;
            }

            long min = long.MaxValue, max = long.MinValue;
            for (var i = 0; i < history.Count; i++)
            {
                var step = history[i].Step;
                sorted &= at == 0 || steps[at - 1] <= step;
                steps[at++] = step;
                min = Math.Min(min, step);
                max = Math.Max(max, step);
            }

            edges.Add(min);
            edges.Add(max);
        }

        if (!sorted)
        {
            Array.Sort(steps);
        }

        var distinct = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            if (distinct == 0 || steps[distinct - 1] != steps[i])
            {
                steps[distinct++] = steps[i];
            }
        }

        var unique = new ReadOnlySpan<long>(steps, 0, distinct);
        var from = start ?? (wholeRange && distinct > 0 ? unique[0] : 0);
        var to = end ?? (distinct == 0 ? 0 : unique[^1]);
        var chosen = new HashSet<long>(edges.Where(s => s >= from && s <= to));

        var lo = LowerBound(unique, from);
        var hi = UpperBound(unique, to);
        var count = hi - lo;
        if (count <= maxResults)
        {
            for (var i = lo; i < hi; i++)
            {
                chosen.Add(unique[i]);
            }
        }
        else
        {
            var interval = (double)count / maxResults;
            for (var i = 0; i < maxResults; i++)
            {
                var index = lo + (int)Math.Floor(i * interval);

                // MLflow compares the absolute index with the relative count: with a range that does not start at the first
                // step, samples are lost. Reproduced, so that charts show the same points as against MLflow's server.
                if (index < count)
                {
                    chosen.Add(unique[index]);
                }
            }

            chosen.Add(unique[hi - 1]);
        }

        return chosen;
    }

    /// <summary>A run's points at the chosen steps, by step then timestamp, at most <see cref="MaxPointsPerRun"/>.</summary>
    public static List<Metric> Select(IReadOnlyList<Metric> history, HashSet<long> steps)
    {
        var kept = new List<Metric>(Math.Min(history.Count, steps.Count * 2));
        var ordered = true;
        for (var i = 0; i < history.Count; i++)
        {
            var point = history[i];
            if (steps.Contains(point.Step))
            {
                ordered &= kept.Count == 0 || Compare(kept[^1], point) <= 0;
                kept.Add(point);
            }
        }

        if (!ordered)
        {
            kept.Sort(Compare);
        }

        if (kept.Count > MaxPointsPerRun)
        {
            kept.RemoveRange(MaxPointsPerRun, kept.Count - MaxPointsPerRun);
        }

        return kept;
    }

    private static int Compare(Metric a, Metric b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp);

    private static int LowerBound(ReadOnlySpan<long> sorted, long value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }

    private static int UpperBound(ReadOnlySpan<long> sorted, long value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index + 1 : ~index;
    }
}
