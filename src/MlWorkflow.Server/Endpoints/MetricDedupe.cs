namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// Leaves out of a retried batch the metric points a first attempt of unknown outcome may already have stored: a point equal
/// in key, timestamp, step and value to a stored one (the primary key of MLflow's SQL store) is not appended again, as many
/// times as it is stored. Params and tags need nothing: setting the same value twice is harmless.
/// </summary>
internal static class MetricDedupe
{
    public static async Task<Metric[]> WithoutStoredAsync(ITrackingStore store, string runId, Metric[] metrics, CancellationToken cancellationToken)
    {
        if (metrics.Length == 0)
        {
            return metrics;
        }

        var stored = new Dictionary<(string Key, long Timestamp, long Step, double Value), int>();
        foreach (var key in metrics.Select(m => m.Key).Distinct(StringComparer.Ordinal))
        {
            var wanted = metrics.Where(m => m.Key == key).Select(m => (m.Timestamp, m.Step, m.Value)).ToHashSet();
            string? pageToken = null;
            do
            {
                var page = await store.GetMetricHistoryAsync(runId, key, null, pageToken, cancellationToken).ConfigureAwait(false);
                foreach (var point in page.Items)
                {
                    if (wanted.Contains((point.Timestamp, point.Step, point.Value)))
                    {
                        var id = (key, point.Timestamp, point.Step, point.Value);
                        stored[id] = stored.GetValueOrDefault(id) + 1;
                    }
                }

                pageToken = page.NextPageToken;
            }
            while (pageToken is not null);
        }

        var kept = new List<Metric>(metrics.Length);
        foreach (var metric in metrics)
        {
            var id = (metric.Key, metric.Timestamp, metric.Step, metric.Value);
            if (stored.TryGetValue(id, out var count) && count > 0)
            {
                stored[id] = count - 1;
            }
            else
            {
                kept.Add(metric);
            }
        }

        return [.. kept];
    }
}
