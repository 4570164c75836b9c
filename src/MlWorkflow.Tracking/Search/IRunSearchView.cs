using System.Diagnostics.CodeAnalysis;

namespace MlWorkflow.Tracking.Search;

/// <summary>
/// What the run search engine reads of a run. A store can back it lazily, reading only the
/// metrics, params and tags that a filter or ordering names.
/// </summary>
internal interface IRunSearchView
{
    /// <summary>The run's metadata (attributes).</summary>
    RunInfo Info { get; }

    /// <summary>The datasets the run used (for <c>datasets.name</c>, <c>datasets.digest</c>, <c>datasets.context</c>).</summary>
    IReadOnlyList<DatasetInput> DatasetInputs { get; }

    /// <summary>Gets the latest value of a metric.</summary>
    bool TryGetMetric(string key, out double value);

    /// <summary>Gets a param's value.</summary>
    bool TryGetParam(string key, [NotNullWhen(true)] out string? value);

    /// <summary>Gets a tag's value.</summary>
    bool TryGetTag(string key, [NotNullWhen(true)] out string? value);
}
