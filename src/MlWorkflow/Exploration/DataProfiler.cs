using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace MlWorkflow.Exploration;

/// <summary>
/// Computes a <see cref="DataProfile"/> in two streaming passes: the first counts, sums, samples and correlates, the
/// second fills the histograms between the minimum and maximum the first found. Memory is bounded by the options.
/// </summary>
internal static partial class DataProfiler
{
    // The sample's memory: at most this many doubles (200 MB), whatever the column count.
    private const long SampleCells = 25_000_000;

    public static DataProfile Compute(IDataView data, string? labelColumn, DataProfileOptions options, CancellationToken cancellationToken)
    {
        using var activity = WorkflowDiagnostics.Source.StartActivity(WorkflowDiagnostics.ProfileActivity);
        var started = Stopwatch.GetTimestamp();
        var profile = Profile(data, labelColumn, options, cancellationToken);
        activity?.SetTag("rows", profile.RowCount);
        activity?.SetTag("columns", profile.Columns.Count);
        var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Profiled(options.Logger, profile.RowCount, profile.Columns.Count, milliseconds);
        return profile;
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Data profile: {Rows} rows, {Columns} columns in {Milliseconds:F0} ms")]
    private static partial void Profiled(ILogger logger, long rows, int columns, double milliseconds);

    private static DataProfile Profile(IDataView data, string? labelColumn, DataProfileOptions options, CancellationToken cancellationToken)
    {
        var columns = data.Schema.Where(c => !c.IsHidden).ToArray();
        var accumulators = columns.Select(c => new ColumnAccumulator(c, c.Name == labelColumn, options.ExactDistinctLimit)).ToArray();
        var label = Array.Find(accumulators, a => a.IsLabel);
        if (labelColumn is not null && (label is null || label.Kind == ColumnKind.Other))
        {
            var known = string.Join(", ", columns.Select(c => c.Name).Take(50));
            throw new ArgumentException(
                label is null
                    ? $"The label column '{Shorten(labelColumn)}' is not in the data; its columns are: {Shorten(known)}."
                    : $"The label column '{Shorten(labelColumn)}' is {label.Column.Type}; a number, boolean, text or key column is needed.",
                nameof(labelColumn));
        }

        var numericLabel = label?.Kind == ColumnKind.Numeric;
        var numeric = accumulators.Where(a => a.Kind == ColumnKind.Numeric).ToArray();
        var slots = numeric.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        var numericIndexes = numeric.Select(a => Array.IndexOf(accumulators, a)).ToArray();
        var width = numeric.Length + 1;
        var capacity = (int)Math.Min(options.SampleSize, Math.Max(10, SampleCells / width));
        var sample = new List<double[]>();
        var random = new Random(options.Seed);
        long rows = 0;

        using (var cursor = data.GetRowCursor(columns))
        {
            var readers = accumulators.Select(a => a.Kind == ColumnKind.Other ? null : ColumnReader.Create(cursor, a.Column)).ToArray();
            var labelReader = label is null ? null : readers[Array.IndexOf(accumulators, label)];
            while (cursor.MoveNext())
            {
                if ((rows & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                foreach (var reader in readers)
                {
                    reader?.Read();
                }

                var labelPresent = labelReader is { IsMissing: false };
                var labelNumber = labelPresent && numericLabel ? labelReader!.Number : double.NaN;
                var labelText = labelPresent ? labelReader!.Text : string.Empty;
                for (var i = 0; i < accumulators.Length; i++)
                {
                    accumulators[i].Add(readers[i], labelPresent, numericLabel, labelNumber, labelText);
                }

                // Reservoir sampling (Vitter's algorithm R): every row has the same chance to be in the sample.
                double[]? slot = null;
                if (rows < capacity)
                {
                    slot = new double[width];
                    sample.Add(slot);
                }
                else if (random.NextInt64(rows + 1) is var j && j < capacity)
                {
                    slot = sample[(int)j];
                }

                if (slot is not null)
                {
                    for (var n = 0; n < numeric.Length; n++)
                    {
                        var reader = readers[numericIndexes[n]]!;
                        slot[n] = reader.IsMissing ? double.NaN : reader.Number;
                    }

                    slot[^1] = labelNumber;
                }

                rows++;
            }
        }

        var histograms = Histograms(data, numeric, options.HistogramBins, cancellationToken);
        var sampleLabels = sample.Select(s => s[^1]).ToArray();
        var profiles = accumulators.Select(a =>
        {
            var values = slots.TryGetValue(a, out var index) ? sample.Select(s => s[index]).ToArray() : [];
            return a.Finish(options, histograms.GetValueOrDefault(a), values, sampleLabels, rows <= capacity, numericLabel, label is not null);
        }).ToArray();
        return new DataProfile(rows, labelColumn, profiles);
    }

    private static Dictionary<ColumnAccumulator, long[]> Histograms(IDataView data, ColumnAccumulator[] numeric, int bins, CancellationToken cancellationToken)
    {
        var withValues = numeric.Where(a => a.PresentNumbers > 0).ToArray();
        var histograms = withValues.ToDictionary(a => a, _ => new long[bins]);
        if (withValues.Length == 0)
        {
            return histograms;
        }

        using var cursor = data.GetRowCursor(withValues.Select(a => a.Column));
        var readers = withValues.Select(a => ColumnReader.Create(cursor, a.Column)!).ToArray();
        long rows = 0;
        while (cursor.MoveNext())
        {
            if ((rows++ & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (var i = 0; i < readers.Length; i++)
            {
                readers[i].Read();
                if (!readers[i].IsMissing)
                {
                    histograms[withValues[i]][withValues[i].BinOf(readers[i].Number, bins)]++;
                }
            }
        }

        return histograms;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
