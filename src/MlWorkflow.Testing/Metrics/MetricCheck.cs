using MlWorkflow.Evaluation;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Metrics;

/// <summary>
/// Entry point of the framework-neutral metric checks:
/// <c>MetricCheck.That(result).Metric("rmse").LessThan(0.2).ThrowIfFailed()</c>.
/// </summary>
public static class MetricCheck
{
    /// <summary>The metrics of a workflow's result (and its run, when tracked).</summary>
    /// <param name="result">The result.</param>
    /// <param name="datasetDigest">The digest of the data set, for messages. The default value is null (unknown).</param>
    /// <returns>The subject to check.</returns>
    public static MetricSubject That(WorkflowResult result, string? datasetDigest = null) => MetricSubject.From(result, datasetDigest);

    /// <summary>A set of metrics.</summary>
    /// <param name="metrics">The metrics.</param>
    /// <returns>The subject to check.</returns>
    public static MetricSubject That(MetricSet metrics) => new(metrics);

    /// <summary>The metrics of a logged run (the latest value of each) and the digest of its first input data set.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The subject to check.</returns>
    public static MetricSubject That(Run run) => MetricSubject.From(run);

    /// <summary>Reads a run by id and returns its metrics to check.</summary>
    /// <param name="client">The tracking client.</param>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The subject to check.</returns>
    public static async Task<MetricSubject> ThatRunAsync(MlflowClient client, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var run = await client.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return MetricSubject.From(run);
    }
}
