using Microsoft.ML;
using MlWorkflow.Data.Columnar;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Parquet;

/// <summary>A Parquet file, folder of part files or glob, read row group by row group.</summary>
internal sealed class ParquetDataSource(string path, ColumnarReadOptions options) : IDataSource
{
    public string Name { get; } = SourceNames.FromPath(path);

    public async Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var files = ParquetFiles.Resolve(path);
        return await OpenAsync(files.Select(f => new ParquetPart(f)).ToList(), options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var files = ParquetFiles.Resolve(path);
        var view = await OpenAsync(files.Select(f => new ParquetPart(f)).ToList(), options, cancellationToken).ConfigureAwait(false);
        return await DatasetDescriber.DescribeFilesAsync(Name, Path.GetFullPath(path), files, view, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every file's footer, maps the first file's schema and checks the others against it.</summary>
    internal static async Task<ColumnarDataView> OpenAsync(IReadOnlyList<ParquetPart> parts, ColumnarReadOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<ColumnSpec>? columns = null;
        string? firstFile = null;
        long rows = 0;
        foreach (var part in parts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var reader = await ParquetFiles.OpenAsync(part.Path, options.MaxParquetFooterLength, cancellationToken).ConfigureAwait(false);
            rows += reader.Metadata?.NumRows ?? 0;
            if (columns is null)
            {
                columns = ParquetSchemaMapper.Map(reader.Schema, part.Path, options.UnsupportedColumns).Select(p => p.Spec).ToList();
                firstFile = part.Path;
                continue;
            }

            var specs = ParquetSchemaMapper.Map(reader.Schema, part.Path, UnsupportedColumnPolicy.Skip).ToDictionary(p => p.Spec.Name, p => p.Spec);
            foreach (var column in columns)
            {
                if (!specs.TryGetValue(column.Name, out var spec))
                {
                    throw new DataSourceException($"Column '{column.Name}' of '{firstFile}' is missing from this file: the files' schemas clash", part.Path, column: column.Name);
                }

                if (!spec.Type.Equals(column.Type))
                {
                    throw new DataSourceException($"Column '{column.Name}' is {spec.Type} here but {column.Type} in '{firstFile}': the files' schemas clash", part.Path, column: column.Name);
                }
            }

            var extra = specs.Keys.FirstOrDefault(k => columns.All(c => c.Name != k));
            if (extra is not null)
            {
                throw new DataSourceException($"Column '{extra}' is not in '{firstFile}': the files' schemas clash", part.Path, column: extra);
            }
        }

        return new ColumnarDataView(new ParquetColumnarSource(parts, columns ?? [], rows, options));
    }
}
