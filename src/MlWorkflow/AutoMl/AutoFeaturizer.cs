using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>
/// Chooses feature steps from the training rows only: drops constant, ID-like and label-leaking columns (with a note
/// saying why), imputes every number by the median of the training rows (with an indicator column where those rows miss
/// values; new rows may miss values where they did not), one-hot encodes categoricals up to
/// <see cref="MaxOneHotValues"/> distinct values and target-encodes them beyond (hashes them for multiclass labels), turns
/// dates (DateTime columns, text columns of dates) into year, month, day, day of week and hour, featurises free text, and
/// log-scales right-skewed numbers that are never negative (<see cref="NormalizationKind.LogMeanVariance"/>). The workflow then
/// concatenates every remaining column and normalises for linear trainers.
/// </summary>
internal static class AutoFeaturizer
{
    public const int MaxOneHotValues = 100;

    // The m of the target encoding's m-estimate: a category needs about this many rows before its own mean counts half.
    public const double TargetSmoothing = 20;

    // Enough rows to tell a category from an ID; more only costs time.
    private const int SampleRows = 100_000;
    private const int MinRowsForIdCheck = 50;
    private const double LeakCorrelation = 0.999;

    // Sample skewness above 0.5: at least moderately skewed, by the usual rule of thumb (above 1: highly). On breast_cancer's
    // six splits (L-BFGS logistic regression, 40 trials each) 0.5 and 0 scored alike on the validation folds, both above 1
    // and above min-max scaling; 0.5 leaves nearly symmetric columns (penguins' measurements) as they were.
    private const double MinSkewness = 0.5;

    // Fewer present values than this say too little about a column's shape to rescale it.
    private const int MinRowsForSkewness = 50;

    // The normal CDF of 5 standard deviations is 1 - 2.9e-7, still below 1 in single precision.
    private const double MaxLogDeviations = 5;

    public static (IReadOnlyList<FeatureStep> Steps, IReadOnlyList<AutoMlFeatureNote> Notes) Analyze(
        MLContext ml, IDataView trainingRows, string label, LearningTask task, IReadOnlySet<string> labelSources)
    {
        var notes = new List<AutoMlFeatureNote>();
        var drop = new List<string>();
        var steps = new List<FeatureStep>();
        var dates = new List<FeatureStep>();
        var sample = ml.Data.TakeRows(trainingRows, SampleRows);
        var labels = task == LearningTask.Regression ? ReadDoubles(ml, sample, label) : null;
        var shape = ColumnTypes.ToShape(sample.Schema);
        var logScaled = new List<string>();

        foreach (var column in sample.Schema.Where(c => !c.IsHidden && c.Name != label && c.Name != "Features"))
        {
            var name = column.Name;
            if (labelSources.Contains(name))
            {
                drop.Add(name);
                notes.Add(new(name, "dropped", "label-leaking: the label is computed from it"));
                continue;
            }

            var type = column.Type;
            if (type is VectorDataViewType vector)
            {
                if (ColumnTypes.IsNumeric(vector.ItemType) || ColumnTypes.IsBoolean(vector.ItemType))
                {
                    notes.Add(new(name, "kept", "a numeric vector"));
                }
                else
                {
                    drop.Add(name);
                    notes.Add(new(name, "dropped", $"a vector of {vector.ItemType}: no automatic featurisation for it"));
                }

                continue;
            }

            if (type is DateTimeDataViewType)
            {
                var values = ReadDates(sample, name);
                DateColumn(name, values.Any(v => v.TimeOfDay != TimeSpan.Zero), 0, values.Count, dates, steps, drop, notes);
                continue;
            }

            if (type is KeyDataViewType)
            {
                steps.Add(new OneHotStep(name, name, hashBits: null));
                notes.Add(new(name, "one_hot", "a key (category) column"));
            }
            else if (ColumnTypes.IsNumeric(type))
            {
                Numeric(ml, sample, name, labels, ColumnTypes.IsMarkedNormalized(shape, name), steps, logScaled, drop, notes);
            }
            else if (ColumnTypes.IsText(type))
            {
                Text(sample, name, label, TargetEncodable(sample, label, task), steps, dates, drop, notes);
            }
            else if (ColumnTypes.IsBoolean(type))
            {
                var values = ReadBooleans(sample, name);
                if (values.Distinct().Count() <= 1)
                {
                    drop.Add(name);
                    notes.Add(new(name, "dropped", "constant: one value in the training rows"));
                }
                else
                {
                    notes.Add(new(name, "kept", "a boolean"));
                }
            }
            else
            {
                drop.Add(name);
                notes.Add(new(name, "dropped", $"type {type}: no automatic featurisation for it (derive numeric columns, e.g. year and month, before the search)"));
            }
        }

        // Date parts first: they read columns the drop then removes.
        var all = new List<FeatureStep>(dates);
        if (drop.Count > 0)
        {
            all.Add(ColumnSelectionStep.Drop([.. drop]));
        }

        all.AddRange(steps);
        if (logScaled.Count > 0)
        {
            // One step for every log-scaled column, after their imputation: one line in the generated code.
            all.Add(new NormalizeStep(NormalizationKind.LogMeanVariance, [.. logScaled.Select(c => new InputOutputColumnPair(c))]));
        }

        return (all, notes);
    }

    private static void Numeric(MLContext ml, IDataView sample, string name, double[]? labels, bool normalized, List<FeatureStep> steps, List<string> logScaledColumns, List<string> drop, List<AutoMlFeatureNote> notes)
    {
        var values = ReadDoubles(ml, sample, name);
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        var distinct = present.Distinct().Count();
        if (distinct <= 1)
        {
            drop.Add(name);
            notes.Add(new(name, "dropped", "constant: one value in the training rows"));
            return;
        }

        var whole = present.All(v => v == Math.Floor(v));
        if (whole && present.Length >= MinRowsForIdCheck && distinct == present.Length
            && present.Max() - present.Min() < 10.0 * present.Length)
        {
            drop.Add(name);
            notes.Add(new(name, "dropped", $"ID-like: {distinct} distinct whole numbers in {present.Length} rows, nearly consecutive"));
            return;
        }

        if (labels is not null && Correlation(values, labels) is var r && Math.Abs(r) >= LeakCorrelation)
        {
            drop.Add(name);
            notes.Add(new(name, "dropped", string.Create(CultureInfo.InvariantCulture, $"label-leaking: correlation {r:F4} with the label")));
            return;
        }

        var missing = values.Length - present.Length;
        var skewness = 0.0;
        // A column the user's steps already normalised keeps their scaling.
        var logScaled = distinct > 2 && !normalized && LogScales(present, out skewness);
        var logNote = logScaled ? string.Create(CultureInfo.InvariantCulture, $"; skewed (skewness {skewness:F1}, no negative value): log-scaled, NormalizeLogMeanVariance") : string.Empty;
        if (missing > 0)
        {
            steps.Add(new ReplaceMissingStep(name, MissingValueReplacement.Median, 0, name + "_missing"));
            notes.Add(new(name, "replace_missing", string.Create(CultureInfo.InvariantCulture, $"{100.0 * missing / values.Length:F1}% missing: median of the training rows, with an indicator column {name}_missing{logNote}")));
        }
        else
        {
            // No training row misses it, but new rows may (the test rows, a scoring request): they get the training median,
            // as scikit-learn's SimpleImputer does for every column it was fitted on, rather than a NaN score. No indicator:
            // it would be 0 on every training row.
            steps.Add(new ReplaceMissingStep(name, MissingValueReplacement.Median, 0, null));
            notes.Add(new(name, logScaled ? "log_scaled" : "kept", $"a number; a missing value in new data gets the median of the training rows{logNote}"));
        }

        if (logScaled)
        {
            logScaledColumns.Add(name);
        }
    }

    // A right-skewed column of values that are never negative (sizes, areas, counts, prices) is scaled through the
    // log-normal distribution fitted to its training values (ML.NET's NormalizeLogMeanVariance: the normal CDF of the
    // standardised logarithm, in [0, 1], zero kept at zero). Linear trainers then weigh its bulk rather than its few
    // largest values, which min-max scaling lets dominate. The map is increasing, so tree trainers split it as before. Left
    // alone where a negative value would be mapped to zero, or where the largest value lies so far out in log space that
    // the CDF would round it to 1 in single precision and merge it with its neighbours.
    private static bool LogScales(double[] present, out double skewness)
    {
        skewness = 0;
        if (present.Length < MinRowsForSkewness || present.Min() < 0)
        {
            return false;
        }

        var mean = present.Average();
        var deviation = Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / present.Length);
        skewness = present.Sum(v => Math.Pow((v - mean) / deviation, 3)) / present.Length;
        var logs = present.Where(v => v > 0).Select(v => Math.Log(v)).ToArray();
        if (skewness <= MinSkewness || logs.Length < 2)
        {
            return false;
        }

        var logMean = logs.Average();
        var logDeviation = Math.Sqrt(logs.Sum(v => (v - logMean) * (v - logMean)) / logs.Length);
        return logDeviation > 0 && (logs.Max() - logMean) / logDeviation <= MaxLogDeviations;
    }

    // Target encoding needs one number per row to average: a numeric or Boolean label (regression, binary).
    private static bool TargetEncodable(IDataView sample, string label, LearningTask task) =>
        task != LearningTask.MulticlassClassification && sample.Schema.GetColumnOrNull(label)?.Type is NumberDataViewType or BooleanDataViewType;

    private static void DateColumn(string name, bool hour, int unparsed, int count, List<FeatureStep> dates, List<FeatureStep> steps, List<string> drop, List<AutoMlFeatureNote> notes)
    {
        var step = new DatePartsStep(name, hour);
        dates.Add(step);
        drop.Add(name);
        var parts = string.Join(", ", step.OutputColumns);
        if (unparsed > 0)
        {
            // A value that is missing or not a date gives NaN parts: imputed like any missing number, flagged once by the year.
            foreach (var part in step.OutputColumns)
            {
                steps.Add(new ReplaceMissingStep(part, MissingValueReplacement.Median, 0, part == step.OutputColumns[0] ? part + "_missing" : null));
            }
        }

        notes.Add(new(name, "date_parts", string.Create(CultureInfo.InvariantCulture,
            $"dates: {parts} as numbers, the raw column dropped{(unparsed > 0 ? $" ({unparsed} of {count} values missing or not dates: median-imputed, indicator {step.OutputColumns[0]}_missing)" : string.Empty)}")));
    }

    private static void Text(IDataView sample, string name, string label, bool targetEncodable, List<FeatureStep> steps, List<FeatureStep> dates, List<string> drop, List<AutoMlFeatureNote> notes)
    {
        var values = ReadTexts(sample, name);
        if (AsDates(values) is { } parsed)
        {
            DateColumn(name, parsed.Hour, parsed.Unparsed, values.Count, dates, steps, drop, notes);
            return;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = 0L;
        foreach (var value in values)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
            words += value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        var distinct = counts.Count;
        var meanWords = values.Count == 0 ? 0 : (double)words / values.Count;
        if (distinct <= 1)
        {
            drop.Add(name);
            notes.Add(new(name, "dropped", "constant: one value in the training rows"));
        }
        else if (meanWords >= 3)
        {
            steps.Add(new TextFeaturizeStep(name, name));
            notes.Add(new(name, "text", string.Create(CultureInfo.InvariantCulture, $"free text ({meanWords:F1} words a value): word and character n-grams")));
        }
        else if (values.Count >= MinRowsForIdCheck && distinct >= 0.9 * values.Count)
        {
            drop.Add(name);
            notes.Add(new(name, "dropped", $"ID-like: {distinct} distinct values in {values.Count} rows"));
        }
        else if (distinct <= MaxOneHotValues)
        {
            steps.Add(new OneHotStep(name, name, hashBits: null));
            notes.Add(new(name, "one_hot", $"categorical: {distinct} distinct values"));
        }
        else if (targetEncodable)
        {
            // One number per category, learnt from the training rows and smoothed, where hashing would mix unrelated
            // categories in shared slots and one-hot would add hundreds of sparse columns.
            steps.Add(new TargetEncodeStep(name, label, TargetSmoothing));
            notes.Add(new(name, "target_encode", string.Create(CultureInfo.InvariantCulture,
                $"categorical with {distinct} distinct values (over {MaxOneHotValues}): target-encoded, the smoothed mean label of the training rows (m = {TargetSmoothing}), unseen categories at the mean")));
        }
        else
        {
            var bits = Math.Clamp((int)Math.Ceiling(Math.Log2(distinct)) + 1, 8, 16);
            steps.Add(new OneHotStep(name, name, bits));
            notes.Add(new(name, "one_hot_hash", $"categorical with {distinct} distinct values (over {MaxOneHotValues}): hashed into 2^{bits} slots (target encoding takes a numeric or Boolean label; this one has classes)"));
        }
    }

    // A text column of dates: at least 90% of its non-empty values (and at least 5) parse as dates, not as plain numbers.
    private static (bool Hour, int Unparsed)? AsDates(List<string> values)
    {
        var present = 0;
        var parsed = 0;
        var hour = false;
        var failuresAllowed = 0.1 * values.Count;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            present++;
            if (DateParts.TryParse(value, out var date))
            {
                parsed++;
                hour |= date.TimeOfDay != TimeSpan.Zero;
            }
            else if (present - parsed > failuresAllowed)
            {
                // More failures than 10% of all values can never be within 10% of the non-empty ones: not dates, stop parsing.
                return null;
            }
        }

        return parsed >= 5 && parsed >= 0.9 * present ? (hour, values.Count - parsed) : null;
    }

    private static double Correlation(double[] x, double[] y)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        var n = 0;
        for (var i = 0; i < x.Length && i < y.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i]))
            {
                continue;
            }

            n++;
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            syy += y[i] * y[i];
            sxy += x[i] * y[i];
        }

        if (n < 3)
        {
            return 0;
        }

        var cov = sxy - (sx * sy / n);
        var vx = sxx - (sx * sx / n);
        var vy = syy - (sy * sy / n);
        return vx <= 0 || vy <= 0 ? 0 : cov / Math.Sqrt(vx * vy);
    }

    internal static double[] ReadDoubles(MLContext ml, IDataView data, string column)
    {
        var converted = ml.Transforms.Conversion.ConvertType("__automl_value", column, DataKind.Double).Fit(data).Transform(data);
        var result = new List<double>();
        var target = converted.Schema["__automl_value"];
        using var cursor = converted.GetRowCursor([target]);
        var getter = cursor.GetGetter<double>(target);
        double value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value);
        }

        return [.. result];
    }

    private static List<string> ReadTexts(IDataView data, string column)
    {
        var result = new List<string>();
        var target = data.Schema[column];
        using var cursor = data.GetRowCursor([target]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(target);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.ToString());
        }

        return result;
    }

    private static List<DateTime> ReadDates(IDataView data, string column)
    {
        var result = new List<DateTime>();
        var target = data.Schema[column];
        using var cursor = data.GetRowCursor([target]);
        var getter = cursor.GetGetter<DateTime>(target);
        DateTime value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value);
        }

        return result;
    }

    private static List<bool> ReadBooleans(IDataView data, string column)
    {
        var result = new List<bool>();
        var target = data.Schema[column];
        using var cursor = data.GetRowCursor([target]);
        var getter = cursor.GetGetter<bool>(target);
        var value = false;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value);
        }

        return result;
    }
}
