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
    public static HashSet<long> SampleSteps(IReadOnlyList<IReadOnlyList<Metric>> histories, long? start, long? end, int maxResults)
    {
        var distinct = new HashSet<long>();
        var edges = new List<long>();
        foreach (var history in histories)
        {
            if (history.Count == 0)
            {
                continue;
            }

            long min = long.MaxValue, max = long.MinValue;
            foreach (var point in history)
            {
                distinct.Add(point.Step);
                min = Math.Min(min, point.Step);
                max = Math.Max(max, point.Step);
            }

            edges.Add(min);
            edges.Add(max);
        }

        var steps = distinct.ToArray();
        Array.Sort(steps);
        var from = start ?? 0;
        var to = end ?? (steps.Length == 0 ? 0 : steps[^1]);
        var chosen = new HashSet<long>(edges.Where(s => s >= from && s <= to));

        var lo = LowerBound(steps, from);
        var hi = UpperBound(steps, to);
        var count = hi - lo;
        if (count <= maxResults)
        {
            for (var i = lo; i < hi; i++)
            {
                chosen.Add(steps[i]);
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
                    chosen.Add(steps[index]);
                }
            }

            chosen.Add(steps[hi - 1]);
        }

        return chosen;
    }

    /// <summary>A run's points at the chosen steps, by step then timestamp, at most <see cref="MaxPointsPerRun"/>.</summary>
    public static List<Metric> Select(IReadOnlyList<Metric> history, HashSet<long> steps)
    {
        var kept = history.Where(p => steps.Contains(p.Step)).ToList();
        kept.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp));
        if (kept.Count > MaxPointsPerRun)
        {
            kept.RemoveRange(MaxPointsPerRun, kept.Count - MaxPointsPerRun);
        }

        return kept;
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }

    private static int UpperBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index + 1 : ~index;
    }
}
