namespace MlWorkflow.Tracking;

/// <summary>
/// An optional capability of an <see cref="ITrackingStore"/>: reading a metric's whole history at once as columns, for
/// charts and MLflow's sampled history (<c>metrics/get-history-bulk-interval</c>). The tracking server uses it when its
/// store implements it, and otherwise reads every page of <see cref="ITrackingStore.GetMetricHistoryAsync"/>; both give
/// the same points in the same order. The file and SQL stores implement it.
/// </summary>
public interface IMetricPointStore
{
    /// <summary>Gets every value logged for a metric, in the order logged, as <see cref="ITrackingStore.GetMetricHistoryAsync"/> would page them.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The points; <see cref="MetricPoints.Empty"/> when the metric was never logged.</returns>
    Task<MetricPoints> GetMetricPointsAsync(string runId, string metricKey, CancellationToken cancellationToken = default);
}
