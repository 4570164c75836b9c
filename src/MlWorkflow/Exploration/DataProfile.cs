using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Tracking;

namespace MlWorkflow.Exploration;

/// <summary>
/// A data-exploration summary: per column its type, missing share, distinct values (exact up to a bound, then
/// estimated), distribution (numbers: minimum, maximum, mean, standard deviation, quantiles, histogram; categories: top
/// values) and correlation with the label; and the label's distribution. Computed in two streaming passes with bounded
/// memory, so it works on data larger than memory.
/// <code>
/// var profile = await DataProfile.ComputeAsync(DataSource.Csv("diamonds.csv"), labelColumn: "price");
/// var report = await profile.WriteReportAsync("profile");   // data_profile.md + PNG plots with MlWorkflow.Plots
/// await run.LogDataProfileAsync(profile);                      // or as artifacts of an MLflow run
/// </code>
/// </summary>
public sealed class DataProfile
{
    /// <summary>The file name of the Markdown summary.</summary>
    public const string MarkdownFileName = "data_profile.md";

    /// <summary>The artifact folder <see cref="DataProfileArtifacts"/> logs to by default.</summary>
    public const string DefaultArtifactPath = "data_profile";

    internal DataProfile(long rowCount, string? labelColumn, IReadOnlyList<ColumnProfile> columns)
    {
        RowCount = rowCount;
        LabelColumn = labelColumn;
        Columns = columns;
        Label = labelColumn is null ? null : columns.First(c => c.Name == labelColumn);
    }

    /// <summary>The rows.</summary>
    public long RowCount { get; }

    /// <summary>The label column, or null when the profile has none.</summary>
    public string? LabelColumn { get; }

    /// <summary>
    /// The label's profile (also in <see cref="Columns"/>): its distribution is <see cref="ColumnProfile.TopValues"/> (class
    /// counts) for a categorical, boolean or few-valued numeric label, and <see cref="NumericSummary.Histogram"/> otherwise.
    /// Null without a label.
    /// </summary>
    public ColumnProfile? Label { get; }

    /// <summary>Every visible column, in the data's order.</summary>
    public IReadOnlyList<ColumnProfile> Columns { get; }

    /// <summary>The column's profile by name.</summary>
    /// <param name="name">The column.</param>
    /// <returns>Its profile.</returns>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public ColumnProfile this[string name] =>
        Columns.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"The profile has no column '{(name.Length > 200 ? name[..200] + "…" : name)}'.");

    /// <summary>Profiles an ML.NET view.</summary>
    /// <param name="data">The data.</param>
    /// <param name="labelColumn">The label, for its distribution and the correlations. The default is none.</param>
    /// <param name="options">Bounds and sample settings. The default is <see cref="DataProfileOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Stops the passes.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentException">The label column is missing or of an unsupported type (the message lists the columns).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static Task<DataProfile> ComputeAsync(IDataView data, string? labelColumn = null, DataProfileOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new DataProfileOptions();
        options.Check();
        // Reading rows is CPU-bound and synchronous in ML.NET: it runs on the thread pool, off the caller's thread.
        return Task.Run(() => DataProfiler.Compute(data, labelColumn, options, cancellationToken), cancellationToken);
    }

    /// <summary>Profiles a data source (CSV, Parquet, Arrow, Delta, ...), streaming its rows.</summary>
    /// <param name="source">The source, for example <c>DataSource.Parquet("data/sales")</c>.</param>
    /// <param name="labelColumn">The label, for its distribution and the correlations. The default is none.</param>
    /// <param name="options">Bounds and sample settings. The default is <see cref="DataProfileOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Stops the loading and the passes.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="DataSourceException">The source cannot be read.</exception>
    /// <exception cref="ArgumentException">The label column is missing or of an unsupported type.</exception>
    public static async Task<DataProfile> ComputeAsync(IDataSource source, string? labelColumn = null, DataProfileOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = await source.LoadAsync(new MLContext(options?.Seed ?? 42), cancellationToken).ConfigureAwait(false);
        return await ComputeAsync(data, labelColumn, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary as Markdown: an overview table, the label distribution, correlations, and each column's distribution.</summary>
    /// <param name="plotFiles">Plot files to link (by file name, so keep them beside the Markdown file). The default is none.</param>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown(IReadOnlyList<string>? plotFiles = null) => DataProfileMarkdown.Write(this, plotFiles ?? []);

    /// <summary>
    /// Writes <c>data_profile.md</c> and, with a plotter, its PNG plots into <paramref name="folder"/> (created when missing).
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="plotter">
    /// Draws the plots. The default is MlWorkflow.Plots' plotter when the package is referenced, else none (Markdown alone).
    /// </param>
    /// <param name="cancellationToken">Stops between plots.</param>
    /// <returns>The files written.</returns>
    public async Task<DataProfileReport> WriteReportAsync(string folder, IDataProfilePlotter? plotter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        plotter ??= DataProfilePlotters.Default;
        var plots = plotter is null
            ? []
            : await Task.Run(() => plotter.WritePlots(this, full, cancellationToken), cancellationToken).ConfigureAwait(false);
        var markdown = Path.Combine(full, MarkdownFileName);
        await File.WriteAllTextAsync(markdown, ToMarkdown(plots), cancellationToken).ConfigureAwait(false);
        return new DataProfileReport(full, markdown, plots);
    }
}
