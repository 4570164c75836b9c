using System.Globalization;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Metrics;

/// <summary>Metrics to check, with where they come from (the run and the data set's digest, when known) for the failure messages.</summary>
public sealed class MetricSubject
{
    /// <summary>Creates a subject.</summary>
    /// <param name="metrics">The metrics by name.</param>
    /// <param name="runId">The run they were logged to. The default value is null (unknown).</param>
    /// <param name="datasetDigest">The digest of the data set they were computed on. The default value is null (unknown).</param>
    public MetricSubject(IReadOnlyDictionary<string, double> metrics, string? runId = null, string? datasetDigest = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Metrics = metrics;
        RunId = runId;
        DatasetDigest = datasetDigest;
    }

    /// <summary>The metrics by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The run the metrics were logged to, or null when unknown.</summary>
    public string? RunId { get; }

    /// <summary>The digest of the data set the metrics were computed on, or null when unknown.</summary>
    public string? DatasetDigest { get; }

    /// <summary>Starts a check of one metric.</summary>
    /// <param name="name">The metric's name, such as <c>rmse</c>.</param>
    /// <returns>The expectation to complete with a bound.</returns>
    public MetricExpectation Metric(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MetricExpectation(this, name);
    }

    /// <summary>The subject of a workflow's result: its metrics and, when tracked, its run.</summary>
    /// <param name="result">The result.</param>
    /// <param name="datasetDigest">The digest of the data set. The default value is null (unknown).</param>
    /// <returns>The subject.</returns>
    public static MetricSubject From(WorkflowResult result, string? datasetDigest = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MetricSubject(result.Metrics, result.Tracking?.RunId, datasetDigest);
    }

    /// <summary>The subject of a logged run: the latest value of each metric and the digest of its first input data set.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The subject.</returns>
    public static MetricSubject From(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in run.Data.Metrics)
        {
            metrics[metric.Key] = metric.Value;
        }

        return new MetricSubject(metrics, run.Info.RunId, run.Inputs.DatasetInputs.Count > 0 ? run.Inputs.DatasetInputs[0].Dataset.Digest : null);
    }

    /// <summary>Where the metrics come from, for messages: <c>run 'id' (data set digest 'd')</c>, or <c>the result</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var run = RunId is null ? "the result" : string.Create(CultureInfo.InvariantCulture, $"run '{RunId}'");
        return DatasetDigest is null ? run : string.Create(CultureInfo.InvariantCulture, $"{run} (data set digest '{DatasetDigest}')");
    }
}
