using System.Collections;

namespace MlWorkflow.Evaluation;

/// <summary>
/// Metrics by MLflow-style name (<see cref="MetricNames"/>), in a stable order, with typed shortcuts for the
/// common ones. A shortcut is null when the task does not have that metric.
/// </summary>
public sealed class MetricSet : IReadOnlyDictionary<string, double>
{
    private readonly SortedDictionary<string, double> _values;

    /// <summary>Creates a set from name-value pairs.</summary>
    /// <param name="values">The metrics; names must be unique.</param>
    public MetricSet(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _values.Add(name, value);
        }
    }

    /// <summary>Root mean squared error (regression), or null.</summary>
    public double? Rmse => Find(MetricNames.Rmse);

    /// <summary>Mean absolute error (regression), or null.</summary>
    public double? Mae => Find(MetricNames.Mae);

    /// <summary>R² (regression), or null.</summary>
    public double? R2 => Find(MetricNames.R2);

    /// <summary>Accuracy (binary), or null.</summary>
    public double? Accuracy => Find(MetricNames.Accuracy);

    /// <summary>Area under the ROC curve (binary), or null.</summary>
    public double? Auc => Find(MetricNames.Auc);

    /// <summary>F1 score (binary), or null.</summary>
    public double? F1Score => Find(MetricNames.F1Score);

    /// <summary>Log loss (calibrated binary, multiclass), or null.</summary>
    public double? LogLoss => Find(MetricNames.LogLoss);

    /// <summary>Micro-averaged accuracy (multiclass), or null.</summary>
    public double? AccuracyMicro => Find(MetricNames.AccuracyMicro);

    /// <summary>Macro-averaged accuracy (multiclass), or null.</summary>
    public double? AccuracyMacro => Find(MetricNames.AccuracyMacro);

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<double> Values => _values.Values;

    /// <summary>The metric of that name.</summary>
    /// <param name="key">The metric name.</param>
    /// <exception cref="KeyNotFoundException">No such metric; the message lists those there are.</exception>
    public double this[string key] => _values.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"No metric '{key}'; there are: {string.Join(", ", _values.Keys)}.");

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out double value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Summarises one metric set per fold: for each metric, <c>&lt;name&gt;_mean</c> and <c>&lt;name&gt;_std</c>
    /// (the sample standard deviation, n - 1). A metric missing from some folds (a class absent from a fold) is
    /// summarised over the folds that have it.
    /// </summary>
    /// <param name="folds">The per-fold metrics, at least one.</param>
    /// <returns>The summary.</returns>
    public static MetricSet Summarize(IReadOnlyList<MetricSet> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 0)
        {
            throw new ArgumentException("Summarise at least one fold.", nameof(folds));
        }

        var result = new List<KeyValuePair<string, double>>();
        foreach (var name in folds.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal))
        {
            var values = folds.Where(f => f.ContainsKey(name)).Select(f => f[name]).ToArray();
            var mean = values.Average();
            var std = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            result.Add(new(name + MetricNames.MeanSuffix, mean));
            result.Add(new(name + MetricNames.StandardDeviationSuffix, std));
        }

        return new MetricSet(result);
    }

    /// <summary>The metrics as <c>name=value</c> lines.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Join(Environment.NewLine, _values.Select(p => FormattableString.Invariant($"{p.Key}={p.Value}")));

    private double? Find(string name) => _values.TryGetValue(name, out var value) ? value : null;
}
