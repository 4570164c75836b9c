using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Csv;

/// <summary>A CSV file: our own inference and whole-file check, then ML.NET's <see cref="TextLoader"/> for the rows, so that a
/// pass costs what ML.NET's own loader costs.</summary>
internal sealed class CsvDataSource(string path, CsvOptions options) : IDataSource
{
    public string Name { get; } = SourceNames.FromPath(path);

    public async Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new DataSourceException("CSV file not found", full);
        }

        try
        {
            var columns = await CsvSchemaInference.InferAsync(full, options, cancellationToken).ConfigureAwait(false);
            var validation = await CsvValidator.ValidateAsync(full, columns, options, cancellationToken).ConfigureAwait(false);
            var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
            {
                Separators = [options.Separator],
                HasHeader = options.HasHeader,
                AllowQuoting = true,
                ReadMultilines = validation.HasMultilineFields,
                MissingRealsAsNaNs = true,
                TrimWhitespace = false,
                Columns = columns.Select(c => new TextLoader.Column(c.Name, c.Kind, c.Index)).ToArray(),
            });
            return loader.Load(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException($"Cannot read CSV file: {e.Message}", full, innerException: e);
        }
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        var view = await LoadAsync(mlContext, cancellationToken).ConfigureAwait(false);
        var full = Path.GetFullPath(path);
        return await DatasetDescriber.DescribeFilesAsync(Name, full, [full], view, cancellationToken).ConfigureAwait(false);
    }
}
