using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Csv;

/// <summary>A CSV file: our own inference and whole-file check, then ML.NET's <see cref="TextLoader"/> for the rows, so that a
/// pass costs what ML.NET's own loader costs.</summary>
internal sealed class CsvDataSource(string path, CsvOptions options) : IDataSource
{
    public string Name { get; } = SourceNames.FromPath(path);

    // The inference and whole-file check of the last load, reused while the file is unchanged (a workflow loads, then describes).
    private LoadPlan? _plan;

    public async Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var full = Path.GetFullPath(path);
        var plan = await PlanAsync(full, cancellationToken).ConfigureAwait(false);
        var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [options.Separator],
            HasHeader = options.HasHeader,
            AllowQuoting = true,
            ReadMultilines = plan.Multiline,
            // Empty reals are NaN; when the check found none, TextLoader's faster default path gives the same values.
            MissingRealsAsNaNs = plan.MissingReals,
            TrimWhitespace = false,
            Columns = plan.Columns.Select(c => new TextLoader.Column(c.Name, c.Kind, c.Index)).ToArray(),
        });
        return loader.Load(full);
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        var view = await LoadAsync(mlContext, cancellationToken).ConfigureAwait(false);
        var full = Path.GetFullPath(path);
        return await DatasetDescriber.DescribeFilesAsync(Name, full, [full], view, cancellationToken, knownRows: _plan?.Rows).ConfigureAwait(false);
    }

    private async Task<LoadPlan> PlanAsync(string full, CancellationToken cancellationToken)
    {
        var file = new FileInfo(full);
        if (!file.Exists)
        {
            throw new DataSourceException("CSV file not found", full);
        }

        if (_plan is { } cached && cached.Length == file.Length && cached.LastWriteUtc == file.LastWriteTimeUtc)
        {
            return cached;
        }

        try
        {
            var columns = await CsvSchemaInference.InferAsync(full, options, cancellationToken).ConfigureAwait(false);
            var validation = options.Validate ? await CsvValidator.ValidateAsync(full, columns, options, cancellationToken).ConfigureAwait(false) : null;
            var plan = new LoadPlan(file.Length, file.LastWriteTimeUtc, validation?.Columns ?? columns, validation?.HasMultilineFields ?? true, validation?.Rows, validation?.HasMissingReals ?? true);
            _plan = plan;
            return plan;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException($"Cannot read CSV file: {e.Message}", full, innerException: e);
        }
    }

    private sealed record LoadPlan(long Length, DateTime LastWriteUtc, IReadOnlyList<CsvColumn> Columns, bool Multiline, long? Rows, bool MissingReals);
}
