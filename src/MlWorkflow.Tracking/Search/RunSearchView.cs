using System.Diagnostics.CodeAnalysis;

namespace MlWorkflow.Tracking.Search;

/// <summary>An <see cref="IRunSearchView"/> over a run held in memory, with its metrics, params and tags indexed by key.</summary>
internal sealed class RunSearchView : IRunSearchView
{
    private readonly Dictionary<string, double> metrics;
    private readonly Dictionary<string, string> parameters;
    private readonly Dictionary<string, string> tags;

    /// <summary>Indexes <paramref name="run"/>; for a key that appears twice the last entry wins.</summary>
    public RunSearchView(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
        var data = run.Data;
        metrics = new Dictionary<string, double>(data.Metrics.Count, StringComparer.Ordinal);
        foreach (var metric in data.Metrics)
        {
            metrics[metric.Key] = metric.Value;
        }

        parameters = new Dictionary<string, string>(data.Params.Count, StringComparer.Ordinal);
        foreach (var param in data.Params)
        {
            parameters[param.Key] = param.Value;
        }

        tags = new Dictionary<string, string>(data.Tags.Count, StringComparer.Ordinal);
        foreach (var tag in data.Tags)
        {
            tags[tag.Key] = tag.Value;
        }
    }

    /// <summary>The run.</summary>
    public Run Run { get; }

    /// <inheritdoc />
    public RunInfo Info => Run.Info;

    /// <inheritdoc />
    public IReadOnlyList<DatasetInput> DatasetInputs => Run.Inputs.DatasetInputs;

    /// <inheritdoc />
    public bool TryGetMetric(string key, out double value) => metrics.TryGetValue(key, out value);

    /// <inheritdoc />
    public bool TryGetParam(string key, [NotNullWhen(true)] out string? value) => parameters.TryGetValue(key, out value);

    /// <inheritdoc />
    public bool TryGetTag(string key, [NotNullWhen(true)] out string? value) => tags.TryGetValue(key, out value);
}
