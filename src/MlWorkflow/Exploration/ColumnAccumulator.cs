using System.Globalization;
using Microsoft.ML;

namespace MlWorkflow.Exploration;

/// <summary>What one streaming pass learns about one column, with bounded memory; <see cref="Finish"/> makes its profile.</summary>
internal sealed class ColumnAccumulator
{
    private readonly int _limit;
    private readonly RunningMoments _moments = new();
    private readonly Dictionary<double, long> _numberCounts = [];
    private readonly Dictionary<string, long> _textCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningMoments> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Value, string Label), long> _contingency = [];
    private DistinctEstimator? _estimator;
    private bool _groupsOverflow;
    private bool _contingencyOverflow;

    // Pearson's co-moments with a numeric label, over rows where both are present.
    private long _pairs;
    private double _meanX;
    private double _meanY;
    private double _coMoment;
    private double _squaresX;
    private double _squaresY;

    public ColumnAccumulator(DataViewSchema.Column column, bool isLabel, int limit)
    {
        Column = column;
        IsLabel = isLabel;
        Kind = ColumnReader.KindOf(column.Type);
        _limit = limit;
    }

    public DataViewSchema.Column Column { get; }

    public bool IsLabel { get; }

    public ColumnKind Kind { get; }

    public long Rows { get; private set; }

    public long Missing { get; private set; }

    public double Minimum { get; private set; } = double.PositiveInfinity;

    public double Maximum { get; private set; } = double.NegativeInfinity;

    public long PresentNumbers => _moments.Count;

    /// <summary>Adds the current row; the label's value is given when the profile has a label and it is present.</summary>
    public void Add(ColumnReader? reader, bool labelPresent, bool numericLabel, double labelNumber, string labelText)
    {
        Rows++;
        if (reader is null)
        {
            return;
        }

        if (reader.IsMissing)
        {
            Missing++;
            return;
        }

        var withLabel = labelPresent && !IsLabel;
        if (Kind == ColumnKind.Numeric)
        {
            var x = reader.Number;
            _moments.Add(x);
            Minimum = Math.Min(Minimum, x);
            Maximum = Math.Max(Maximum, x);
            Count(_numberCounts, x == 0 ? 0 : x, DistinctEstimator.Hash(x));
            if (withLabel && numericLabel)
            {
                AddPair(x, labelNumber);
            }
            else if (withLabel)
            {
                AddToGroup(labelText, x);
            }

            return;
        }

        var text = reader.Text;
        Count(_textCounts, text, DistinctEstimator.Hash(text));
        if (withLabel && numericLabel)
        {
            AddToGroup(text, labelNumber);
        }
        else if (withLabel)
        {
            if (_contingency.TryGetValue((text, labelText), out var cell))
            {
                _contingency[(text, labelText)] = cell + 1;
            }
            else if (_contingency.Count < _limit)
            {
                _contingency[(text, labelText)] = 1;
            }
            else
            {
                _contingencyOverflow = true;
            }
        }
    }

    /// <summary>The profile, from this pass, the histogram of the second pass and this column's values in the sample.</summary>
    public ColumnProfile Finish(DataProfileOptions options, long[]? histogram, double[] sampleValues, double[] sampleLabels, bool sampleIsComplete, bool numericLabel, bool hasLabel)
    {
        var profile = new ColumnProfile(Column.Name, Column.Type.ToString() ?? string.Empty, Kind) { RowCount = Rows, MissingCount = Missing };
        if (Kind == ColumnKind.Other)
        {
            return profile;
        }

        var numeric = Kind == ColumnKind.Numeric;
        var exactCount = numeric ? _numberCounts.Count : _textCounts.Count;
        profile.IsDistinctCountExact = _estimator is null;
        profile.DistinctCount = _estimator is null ? exactCount : Math.Max(_estimator.Estimate(), exactCount);
        if (numeric)
        {
            if (_estimator is null && _numberCounts.Count <= options.TopValues)
            {
                profile.TopValues = Top(_numberCounts.Select(p => (p.Key.ToString("R", CultureInfo.InvariantCulture), p.Value)), options.TopValues);
            }

            if (_moments.Count > 0)
            {
                var present = sampleValues.Where(v => !double.IsNaN(v)).Order().ToArray();
                var quantiles = NumericSummary.QuantileLevels.Select(q => Quantile(present, q)).ToArray();
                var bins = BinsOf(histogram ?? []);
                var deviation = _moments.Count > 1 ? Math.Sqrt(_moments.SumOfSquares / (_moments.Count - 1)) : 0;
                profile.Numeric = new NumericSummary(Minimum, Maximum, _moments.Mean, deviation, quantiles, sampleIsComplete, bins);
            }
        }
        else
        {
            profile.TopValues = Top(_textCounts.Select(p => (p.Key, p.Value)), options.TopValues);
        }

        if (!IsLabel && hasLabel)
        {
            SetCorrelation(profile, numericLabel, sampleValues, sampleLabels);
        }

        return profile;
    }

    /// <summary>The bin a value falls in, for the second pass.</summary>
    public int BinOf(double value, int bins)
    {
        if (Maximum <= Minimum)
        {
            return 0;
        }

        var bin = (int)((value - Minimum) / (Maximum - Minimum) * bins);
        return Math.Clamp(bin, 0, bins - 1);
    }

    private HistogramBin[] BinsOf(long[] counts)
    {
        if (counts.Length == 0)
        {
            return [];
        }

        var width = (Maximum - Minimum) / counts.Length;
        return counts.Select((count, i) => new HistogramBin(
            Minimum + (i * width),
            i == counts.Length - 1 ? Maximum : Minimum + ((i + 1) * width),
            count)).ToArray();
    }

    private void SetCorrelation(ColumnProfile profile, bool numericLabel, double[] sampleValues, double[] sampleLabels)
    {
        if (Kind == ColumnKind.Numeric && numericLabel)
        {
            if (_pairs > 1 && _squaresX > 0 && _squaresY > 0)
            {
                profile.LabelCorrelation = Math.Clamp(_coMoment / Math.Sqrt(_squaresX * _squaresY), -1, 1);
                profile.LabelCorrelationKind = "pearson";
                profile.SpearmanCorrelation = Spearman(sampleValues, sampleLabels);
            }

            return;
        }

        if (Kind == ColumnKind.Numeric || numericLabel)
        {
            // The numeric side grouped by the categorical one.
            if (!_groupsOverflow && CorrelationRatio(_groups.Values) is { } eta)
            {
                profile.LabelCorrelation = eta;
                profile.LabelCorrelationKind = "correlation_ratio";
            }

            return;
        }

        if (!_contingencyOverflow && CramersV(_contingency) is { } v)
        {
            profile.LabelCorrelation = v;
            profile.LabelCorrelationKind = "cramers_v";
        }
    }

    private void Count<TKey>(Dictionary<TKey, long> counts, TKey key, ulong hash)
        where TKey : notnull
    {
        if (counts.TryGetValue(key, out var count))
        {
            counts[key] = count + 1;
        }
        else if (_estimator is null && counts.Count < _limit)
        {
            counts[key] = 1;
        }
        else if (_estimator is null)
        {
            // Past the exact limit: every value seen so far goes into the estimator, which takes over the distinct count.
            _estimator = new DistinctEstimator();
            foreach (var seen in counts.Keys)
            {
                _estimator.Add(seen is double d ? DistinctEstimator.Hash(d) : DistinctEstimator.Hash((string)(object)seen));
            }
        }

        _estimator?.Add(hash);
    }

    private void AddPair(double x, double y)
    {
        _pairs++;
        var dx = x - _meanX;
        _meanX += dx / _pairs;
        var dy = y - _meanY;
        _meanY += dy / _pairs;
        _coMoment += dx * (y - _meanY);
        _squaresX += dx * (x - _meanX);
        _squaresY += dy * (y - _meanY);
    }

    private void AddToGroup(string group, double value)
    {
        if (!_groups.TryGetValue(group, out var moments))
        {
            if (_groups.Count >= _limit)
            {
                _groupsOverflow = true;
                return;
            }

            moments = new RunningMoments();
            _groups[group] = moments;
        }

        moments.Add(value);
    }

    private static ValueCount[] Top(IEnumerable<(string Value, long Count)> counts, int top) =>
        counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(top).Select(c => new ValueCount(c.Value, c.Count)).ToArray();

    internal static double Quantile(double[] sorted, double level)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = level * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    // η = sqrt(between-group sum of squares / total sum of squares).
    internal static double? CorrelationRatio(IEnumerable<RunningMoments> groups)
    {
        var list = groups.Where(g => g.Count > 0).ToArray();
        var total = list.Sum(g => g.Count);
        if (list.Length < 2 || total < 2)
        {
            return null;
        }

        var grand = list.Sum(g => g.Mean * g.Count) / total;
        var between = list.Sum(g => g.Count * (g.Mean - grand) * (g.Mean - grand));
        var all = between + list.Sum(g => g.SumOfSquares);
        return all > 0 ? Math.Sqrt(Math.Clamp(between / all, 0, 1)) : null;
    }

    // Cramér's V from the observed cells: chi² = Σ O²/E − n, V = sqrt(chi² / (n · (min(rows, columns) − 1))).
    internal static double? CramersV(Dictionary<(string Value, string Label), long> cells)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var columns = new Dictionary<string, long>(StringComparer.Ordinal);
        long n = 0;
        foreach (var ((value, label), count) in cells)
        {
            rows[value] = rows.GetValueOrDefault(value) + count;
            columns[label] = columns.GetValueOrDefault(label) + count;
            n += count;
        }

        var smaller = Math.Min(rows.Count, columns.Count) - 1;
        if (smaller < 1 || n == 0)
        {
            return null;
        }

        double sum = 0;
        foreach (var ((value, label), count) in cells)
        {
            sum += count * (double)count / (rows[value] * (double)columns[label] / n);
        }

        var chiSquare = Math.Max(0, sum - n);
        return Math.Sqrt(Math.Clamp(chiSquare / (n * (double)smaller), 0, 1));
    }

    // Pearson's r of the ranks (ties share their mean rank), over sample rows where both values are present.
    internal static double? Spearman(double[] values, double[] labels)
    {
        var pairs = values.Zip(labels).Where(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)).ToArray();
        if (pairs.Length < 3)
        {
            return null;
        }

        var x = Ranks(pairs.Select(p => p.First).ToArray());
        var y = Ranks(pairs.Select(p => p.Second).ToArray());
        double meanX = x.Average(), meanY = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
            syy += (y[i] - meanY) * (y[i] - meanY);
        }

        return sxx > 0 && syy > 0 ? Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1) : null;
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }
}
