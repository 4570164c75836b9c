using System.Collections;

namespace MlWorkflow.Evaluation;

/// <summary>
/// Metrics by MLflow-style name (<see cref="MetricNames"/>), in a stable order, with typed shortcuts for the
/// common ones. The shortcuts read the set whatever its <see cref="Basis"/>: <see cref="R2"/> is <c>r2</c> on a test set,
/// <c>training_r2</c> on training data and <c>r2_mean</c> under cross-validation. Each task has its own metrics: a
/// regression set has <see cref="Rmse"/>, <see cref="Mae"/>, <see cref="Mse"/> and <see cref="R2"/>; a binary set
/// <see cref="Accuracy"/>, <see cref="Auc"/>, <see cref="F1Score"/> (and <see cref="LogLoss"/> when calibrated); a multiclass
/// set <see cref="Accuracy"/> (micro), <see cref="AccuracyMicro"/>, <see cref="AccuracyMacro"/> and <see cref="LogLoss"/>.
/// A shortcut of another task's metric is null.
/// </summary>
public sealed class MetricSet : IReadOnlyDictionary<string, double>
{
    private readonly SortedDictionary<string, double> _values;

    /// <summary>Creates a set from name-value pairs.</summary>
    /// <param name="values">The metrics; names must be unique.</param>
    /// <param name="basis">What data the metrics were computed on, which says how the names are written. The default value is <see cref="MetricBasis.Test"/>.</param>
    public MetricSet(IEnumerable<KeyValuePair<string, double>> values, MetricBasis basis = MetricBasis.Test)
    {
        ArgumentNullException.ThrowIfNull(values);
        Basis = basis;
        _values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            _values.Add(name, value);
        }
    }

    /// <summary>What data the metrics were computed on: test (plain names), training (<c>training_</c> names) or cross-validation (<c>_mean</c>/<c>_std</c> names).</summary>
    public MetricBasis Basis { get; }

    /// <summary>Root mean squared error (regression only), or null.</summary>
    public double? Rmse => Find(MetricNames.Rmse);

    /// <summary>Mean absolute error (regression only), or null.</summary>
    public double? Mae => Find(MetricNames.Mae);

    /// <summary>Mean squared error (regression only; the mean squared loss), or null.</summary>
    public double? Mse => Find(MetricNames.Mse);

    /// <summary>R² (regression only), or null.</summary>
    public double? R2 => Find(MetricNames.R2);

    /// <summary>
    /// Accuracy, the fraction of rows classified right: binary <c>accuracy</c>, or multiclass micro-averaged accuracy
    /// (<c>accuracy_micro</c>, what MLflow calls <c>accuracy_score</c>); null for regression.
    /// </summary>
    public double? Accuracy => Find(MetricNames.Accuracy) ?? Find(MetricNames.AccuracyMicro);

    /// <summary>Area under the ROC curve (binary only), or null.</summary>
    public double? Auc => Find(MetricNames.Auc);

    /// <summary>F1 score of the positive class (binary only), or null.</summary>
    public double? F1Score => Find(MetricNames.F1Score);

    /// <summary>Log loss in natural log units, as MLflow and scikit-learn report it (calibrated binary and multiclass), or null for regression and uncalibrated binary trainers.</summary>
    public double? LogLoss => Find(MetricNames.LogLoss);

    /// <summary>Micro-averaged accuracy (multiclass only), or null.</summary>
    public double? AccuracyMicro => Find(MetricNames.AccuracyMicro);

    /// <summary>Macro-averaged accuracy, the mean of the per-class accuracies (multiclass only), or null.</summary>
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

        return new MetricSet(result, MetricBasis.CrossValidation);
    }

    /// <summary>The same metrics named as computed on training data (<c>training_&lt;name&gt;</c>).</summary>
    /// <returns>The renamed set, of basis <see cref="MetricBasis.Training"/>.</returns>
    public MetricSet AsTraining() =>
        new(_values.Select(m => KeyValuePair.Create(TrainingPrefix + m.Key, m.Value)), MetricBasis.Training);

    /// <summary>The metrics as <c>name=value</c> lines.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Join(Environment.NewLine, _values.Select(p => FormattableString.Invariant($"{p.Key}={p.Value}")));

    private const string TrainingPrefix = "training_";

    private double? Find(string name)
    {
        var key = Basis switch
        {
            MetricBasis.Training => TrainingPrefix + name,
            MetricBasis.CrossValidation => name + MetricNames.MeanSuffix,
            _ => name,
        };
        return _values.TryGetValue(key, out var value) ? value : null;
    }
}
