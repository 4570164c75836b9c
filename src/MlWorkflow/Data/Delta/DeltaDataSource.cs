using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using MlWorkflow.Data.Columnar;
using MlWorkflow.Data.Describing;
using MlWorkflow.Data.Parquet;

namespace MlWorkflow.Data.Delta;

/// <summary>A Delta table at a version: the snapshot's data files read by the Parquet reader, partition columns from the log.</summary>
internal sealed class DeltaDataSource(string path, long? version, DateTimeOffset? asOf, ColumnarReadOptions options) : IDataSource
{
    public string Name { get; } = SourceNames.FromPath(path);

    public async Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (view, _) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return view;
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (view, snapshot) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var root = Path.GetFullPath(path);
        var schema = DatasetDescriber.ColumnSpecJson(view.Schema);

        // Data files are immutable and named uniquely, so the live file list identifies the content.
        var identity = new StringBuilder(snapshot.SchemaString).Append('\n');
        foreach (var file in snapshot.Files)
        {
            identity.Append(file.RelativePath).Append('\t').Append(file.Size).Append('\n');
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
        var source = JsonSerializer.Serialize(new Dictionary<string, object> { ["path"] = root, ["delta_table_version"] = snapshot.Version });
        return new DatasetDescription(Name, digest, "delta_table", source, schema, DatasetDescriber.CountRows(view, cancellationToken));
    }

    private async Task<(IDataView View, DeltaSnapshot Snapshot)> OpenAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(path);
        var snapshot = await DeltaLogReader.ReadAsync(root, version, asOf, options, cancellationToken).ConfigureAwait(false);
        var log = Path.Combine(root, "_delta_log");
        var columns = DeltaSchemaMapper.Map(snapshot.SchemaString, log, options.UnsupportedColumns);
        var byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var parts = new List<ParquetPart>();
        foreach (var file in snapshot.Files)
        {
            var constants = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var partition in snapshot.PartitionColumns)
            {
                if (byName.TryGetValue(partition, out var column))
                {
                    constants[partition] = DeltaSchemaMapper.ParsePartitionValue(file.PartitionValues.GetValueOrDefault(partition), column, file.FullPath);
                }
            }

            parts.Add(new ParquetPart(file.FullPath, constants));
        }

        long rows = 0;
        foreach (var part in parts)
        {
            await using var reader = await ParquetFiles.OpenAsync(part.Path, options.MaxParquetFooterLength, cancellationToken).ConfigureAwait(false);
            rows += reader.Metadata?.NumRows ?? 0;
        }

        return (new ColumnarDataView(new ParquetColumnarSource(parts, columns, rows, options)), snapshot);
    }
}
