using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Logging;

/// <summary>One <c>log-batch</c> call's worth of data, within MLflow's limits.</summary>
internal readonly record struct LogBatch(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags)
{
    public int Count => Metrics.Count + Params.Count + Tags.Count;
}

/// <summary>Splits metrics, params and tags into <c>log-batch</c> calls as MLflow's client does (section 8.5 of the protocol notes).</summary>
internal static class LogBatchSplitter
{
    // MLflow's log-batch limits, as the store validates them.
    public const int MaxMetrics = TrackingValidation.MaxMetricsPerBatch;
    public const int MaxParams = TrackingValidation.MaxParamsPerBatch;
    public const int MaxTags = TrackingValidation.MaxTagsPerBatch;
    public const int MaxEntities = TrackingValidation.MaxEntitiesPerBatch;

    /// <summary>
    /// Params and tags go in chunks of 100, paired; each pair is topped up with metrics to 1000 entities; the remaining
    /// metrics follow in chunks of 1000. Order within each kind is kept. Empty input gives no batch.
    /// </summary>
    public static IEnumerable<LogBatch> Split(IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        var metricOffset = 0;
        var paramOffset = 0;
        var tagOffset = 0;
        while (paramOffset < parameters.Count || tagOffset < tags.Count)
        {
            var paramChunk = Slice(parameters, paramOffset, MaxParams);
            var tagChunk = Slice(tags, tagOffset, MaxTags);
            paramOffset += paramChunk.Count;
            tagOffset += tagChunk.Count;
            var metricChunk = Slice(metrics, metricOffset, MaxEntities - paramChunk.Count - tagChunk.Count);
            metricOffset += metricChunk.Count;
            yield return new LogBatch(metricChunk, paramChunk, tagChunk);
        }

        while (metricOffset < metrics.Count)
        {
            var metricChunk = Slice(metrics, metricOffset, MaxMetrics);
            metricOffset += metricChunk.Count;
            yield return new LogBatch(metricChunk, Array.Empty<Param>(), Array.Empty<RunTag>());
        }
    }

    private static IReadOnlyList<T> Slice<T>(IReadOnlyList<T> items, int offset, int count)
    {
        count = Math.Min(count, items.Count - offset);
        if (count <= 0)
        {
            return Array.Empty<T>();
        }

        if (offset == 0 && count == items.Count)
        {
            return items;
        }

        var slice = new T[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[offset + i];
        }

        return slice;
    }
}
