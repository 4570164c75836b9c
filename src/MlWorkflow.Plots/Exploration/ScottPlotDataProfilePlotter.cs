using System.Globalization;
using System.Text;
using ScottPlot;

namespace MlWorkflow.Exploration;

/// <summary>
/// The data-profile plotter of MlWorkflow.Plots: PNG files drawn with ScottPlot. <see cref="DataProfile.WriteReportAsync"/>
/// uses it with no code when this package is referenced. It writes the label distribution (<see cref="LabelDistributionFile"/>),
/// the correlations with the label (<see cref="CorrelationsFile"/>), then one histogram per numeric column and one bar chart
/// of the top values per categorical column (<c>column_&lt;n&gt;_&lt;name&gt;.png</c>), at most <see cref="MaximumColumnPlots"/> of those.
/// </summary>
public sealed class ScottPlotDataProfilePlotter : IDataProfilePlotter
{
    /// <summary>File name of the label distribution plot.</summary>
    public const string LabelDistributionFile = "label_distribution.png";

    /// <summary>File name of the correlation bar chart.</summary>
    public const string CorrelationsFile = "label_correlations.png";

    /// <summary>The most per-column plots written (the first columns in the data's order).</summary>
    public const int MaximumColumnPlots = 50;

    private const int Width = 800;
    private const int Height = 500;

    /// <inheritdoc/>
    public IReadOnlyList<string> WritePlots(DataProfile profile, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Save(Plot? plot, string name, int height = Height)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (plot is not null)
            {
                var path = Path.Combine(folder, name);
                plot.SavePng(path, Width, height);
                files.Add(path);
            }
        }

        if (profile.Label is { } label)
        {
            Save(Distribution(label, $"Label distribution: {label.Name}"), LabelDistributionFile);
            var correlated = profile.Columns.Where(c => c.LabelCorrelation is not null)
                .OrderByDescending(c => Math.Abs(c.LabelCorrelation!.Value)).Take(30).Reverse().ToArray();
            if (correlated.Length > 0)
            {
                Save(Correlations(correlated, label.Name), CorrelationsFile, Math.Max(Height, 120 + (26 * correlated.Length)));
            }
        }

        var index = 0;
        foreach (var column in profile.Columns.Where(c => c.Name != profile.LabelColumn && (c.Numeric is not null || c.TopValues.Count > 0)).Take(MaximumColumnPlots))
        {
            index++;
            Save(Distribution(column, column.Name), string.Create(CultureInfo.InvariantCulture, $"column_{index:000}_{SafeName(column.Name)}.png"));
        }

        return files;
    }

    // Class counts as bars for a categorical (or few-valued) column, else the histogram.
    private static Plot? Distribution(ColumnProfile column, string title)
    {
        var plot = new Plot();
        if (column.TopValues.Count > 0 && (column.Kind != ColumnKind.Numeric || column.Numeric is null || column.TopValues.Count <= 10))
        {
            var values = column.TopValues;
            plot.Add.Bars(values.Select((v, i) => new Bar { Position = i, Value = v.Count, FillColor = Colors.SteelBlue, Size = 0.7 }).ToArray());
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                values.Select((_, i) => (double)i).ToArray(), values.Select(v => Shorten(v.Value, 24)).ToArray());
            plot.YLabel("rows");
            plot.Axes.Margins(bottom: 0);
        }
        else if (column.Numeric is { Histogram.Count: > 0 } numeric)
        {
            var bars = numeric.Histogram.Select(b => new Bar
            {
                Position = (b.Lower + b.Upper) / 2,
                Value = b.Count,
                Size = Math.Max(b.Upper - b.Lower, double.Epsilon) * 0.95,
                FillColor = Colors.SteelBlue,
                LineWidth = 0,
            }).ToArray();
            plot.Add.Bars(bars);
            plot.XLabel(Shorten(column.Name, 60));
            plot.YLabel("rows");
            plot.Axes.Margins(bottom: 0);
        }
        else
        {
            return null;
        }

        var missing = column.MissingCount > 0 ? string.Create(CultureInfo.InvariantCulture, $", {column.MissingShare * 100:0.0}% missing") : string.Empty;
        plot.Title(Shorten(title, 80) + missing);
        return plot;
    }

    private static Plot Correlations(ColumnProfile[] columns, string label)
    {
        var plot = new Plot();
        var bars = columns.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.LabelCorrelation!.Value,
            FillColor = c.LabelCorrelation >= 0 ? Colors.SteelBlue : Colors.IndianRed,
            Size = 0.7,
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            columns.Select((_, i) => (double)i).ToArray(), columns.Select(c => $"{Shorten(c.Name, 30)} ({Measure(c.LabelCorrelationKind)})").ToArray());
        var zero = plot.Add.VerticalLine(0);
        zero.LineColor = Colors.Black;
        zero.LineWidth = 1;
        plot.Title($"Correlation with {Shorten(label, 60)}");
        plot.XLabel("Pearson r, correlation ratio η or Cramér's V");
        return plot;
    }

    private static string Measure(string? kind) => kind switch
    {
        "pearson" => "r",
        "correlation_ratio" => "η",
        "cramers_v" => "V",
        _ => "?",
    };

    // A file name part from any column name: ASCII letters, digits, '-' and '_' only, at most 40 characters.
    private static string SafeName(string name)
    {
        var safe = new StringBuilder();
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
            if (safe.Length == 40)
            {
                break;
            }
        }

        return safe.Length == 0 ? "column" : safe.ToString();
    }

    private static string Shorten(string text, int length) => text.Length > length ? text[..length] + "…" : text;
}
