using System.Diagnostics.CodeAnalysis;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A run as the search engine sees it, read from its folder: the info from <c>meta.yaml</c> and only the metrics,
/// params and tags (and datasets) that the query names.
/// </summary>
internal sealed class FileRunSearchView : IRunSearchView
{
    private readonly Dictionary<string, double> _metrics;
    private readonly Dictionary<string, string> _params;
    private readonly Dictionary<string, string> _tags;

    private readonly RunSearchQuery _query;

    /// <summary>Creates a view over values already read for a query's keys.</summary>
    public FileRunSearchView(RunInfo info, string directory, RunSearchQuery query, Dictionary<string, double> metrics, Dictionary<string, string> parameters, Dictionary<string, string> tags, IReadOnlyList<DatasetInput>? datasetInputs)
    {
        Info = info;
        Directory = directory;
        _query = query;
        _metrics = metrics;
        _params = parameters;
        _tags = tags;
        DatasetInputs = datasetInputs ?? [];
    }

    /// <summary>Whether this view holds every value another query needs (its keys are among this view's query's keys).</summary>
    public bool Covers(RunSearchQuery query) =>
        ReferenceEquals(query, _query)
        || (query.MetricKeys.IsSubsetOf(_query.MetricKeys) && query.ParamKeys.IsSubsetOf(_query.ParamKeys) && query.TagKeys.IsSubsetOf(_query.TagKeys) && (!query.UsesDatasets || _query.UsesDatasets));

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public RunInfo Info { get; }

    /// <inheritdoc />
    public IReadOnlyList<DatasetInput> DatasetInputs { get; }

    /// <inheritdoc />
    public bool TryGetMetric(string key, out double value) => _metrics.TryGetValue(key, out value);

    /// <inheritdoc />
    public bool TryGetParam(string key, [NotNullWhen(true)] out string? value) => _params.TryGetValue(key, out value);

    /// <inheritdoc />
    public bool TryGetTag(string key, [NotNullWhen(true)] out string? value) => _tags.TryGetValue(key, out value);
}
