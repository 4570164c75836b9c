using System.Globalization;
using System.Text;

namespace MlWorkflow.Exploration;

/// <summary>Writes a <see cref="DataProfile"/> as Markdown (GitHub tables); values from the data are escaped.</summary>
internal static class DataProfileMarkdown
{
    public static string Write(DataProfile profile, IReadOnlyList<string> plotFiles)
    {
        var md = new StringBuilder();
        md.AppendLine("# Data profile").AppendLine();
        md.Append(Invariant($"{profile.RowCount:N0} rows, {profile.Columns.Count} columns."));
        if (profile.Label is { } label)
        {
            md.Append(Invariant($" Label: {Escape(label.Name)} ({label.Kind.ToString().ToLowerInvariant()})."));
        }

        md.AppendLine().AppendLine();
        md.AppendLine("## Columns").AppendLine();
        md.AppendLine("| Column | Type | Missing | Distinct | Min | Mean | Max | Std | Median | Correlation with the label |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var column in profile.Columns)
        {
            var numeric = column.Numeric;
            md.AppendLine(string.Join(" | ", [
                "| " + Escape(column.Name) + (column.Name == profile.LabelColumn ? " (label)" : string.Empty),
                Escape(column.Type),
                Invariant($"{Percent(column.MissingShare)} ({column.MissingCount:N0})"),
                column.Kind == ColumnKind.Other ? "–" : (column.IsDistinctCountExact ? string.Empty : "≈") + column.DistinctCount.ToString("N0", CultureInfo.InvariantCulture),
                Number(numeric?.Minimum),
                Number(numeric?.Mean),
                Number(numeric?.Maximum),
                Number(numeric?.StandardDeviation),
                Number(numeric?.Median),
                Correlation(column) + " |"]));
        }

        if (profile.Label is { } target)
        {
            md.AppendLine().AppendLine("## Label distribution").AppendLine();
            if (target.TopValues.Count > 0)
            {
                ValueTable(md, target, profile.RowCount);
            }
            else if (target.Numeric is { } summary)
            {
                md.AppendLine("| From | To | Rows |").AppendLine("| ---: | ---: | ---: |");
                foreach (var bin in summary.Histogram)
                {
                    md.AppendLine(Invariant($"| {Number(bin.Lower)} | {Number(bin.Upper)} | {bin.Count:N0} |"));
                }
            }

            var correlated = profile.Columns.Where(c => c.LabelCorrelation is not null).OrderByDescending(c => Math.Abs(c.LabelCorrelation!.Value)).ToArray();
            if (correlated.Length > 0)
            {
                md.AppendLine().AppendLine("## Correlation with the label").AppendLine();
                md.AppendLine("Pearson's r for numbers against a numeric label (Spearman's ρ beside it), the correlation ratio η between numbers and categories, Cramér's V between categories.").AppendLine();
                md.AppendLine("| Column | Measure | Value | Spearman |").AppendLine("| --- | --- | ---: | ---: |");
                foreach (var column in correlated)
                {
                    md.AppendLine(Invariant($"| {Escape(column.Name)} | {column.LabelCorrelationKind} | {Number(column.LabelCorrelation)} | {Number(column.SpearmanCorrelation)} |"));
                }
            }
        }

        md.AppendLine().AppendLine("## Distributions").AppendLine();
        foreach (var column in profile.Columns.Where(c => c.Kind != ColumnKind.Other))
        {
            md.AppendLine(Invariant($"### {Escape(column.Name)}")).AppendLine();
            if (column.Numeric is { } numeric)
            {
                var levels = NumericSummary.QuantileLevels.Zip(numeric.Quantiles, (q, v) => Invariant($"p{q * 100:0}: {Number(v)}"));
                md.AppendLine(string.Join(", ", levels) + (numeric.AreQuantilesExact ? "." : " (on a uniform sample)."));
                md.AppendLine();
            }

            if (column.TopValues.Count > 0)
            {
                ValueTable(md, column, column.RowCount);
            }
        }

        if (plotFiles.Count > 0)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            foreach (var file in plotFiles)
            {
                var name = Path.GetFileName(file);
                md.AppendLine(Invariant($"![{Escape(Path.GetFileNameWithoutExtension(name))}]({Uri.EscapeDataString(name)})")).AppendLine();
            }
        }

        return md.ToString();
    }

    private static void ValueTable(StringBuilder md, ColumnProfile column, long rows)
    {
        md.AppendLine("| Value | Rows | Share |").AppendLine("| --- | ---: | ---: |");
        foreach (var value in column.TopValues)
        {
            md.AppendLine(Invariant($"| {Escape(value.Value)} | {value.Count:N0} | {Percent(rows == 0 ? 0 : value.Count / (double)rows)} |"));
        }

        md.AppendLine();
    }

    private static string Correlation(ColumnProfile column) => column.LabelCorrelation is { } value
        ? Invariant($"{Number(value)} ({column.LabelCorrelationKind})")
        : "–";

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // Text from the data cannot break a table or start Markdown syntax: shortened, one line, punctuation escaped.
    internal static string Escape(string text)
    {
        var shown = text.Length > 200 ? text[..200] + "…" : text;
        var escaped = new StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (c is '\r' or '\n' or '\t')
            {
                escaped.Append(' ');
            }
            else if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#' or '!' or '(' or ')')
            {
                escaped.Append('\\').Append(c);
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.Length == 0 ? "(empty)" : escaped.ToString();
    }
}
