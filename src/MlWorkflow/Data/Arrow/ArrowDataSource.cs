using Apache.Arrow;
using Apache.Arrow.Ipc;
using Microsoft.ML;
using MlWorkflow.Data.Columnar;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Arrow;

/// <summary>An Arrow IPC file or stream, read record batch by record batch. A path is re-opened by each cursor; a stream is
/// read into memory once when the source loads.</summary>
internal sealed class ArrowDataSource(string pathOrName, Stream? stream, ColumnarReadOptions options) : IDataSource
{
    private ReadOnlyMemory<byte>? _bytes;

    public string Name { get; } = stream is null ? SourceNames.FromPath(pathOrName) : pathOrName;

    public async Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        string label;
        if (stream is null)
        {
            label = Path.GetFullPath(pathOrName);
            if (!File.Exists(label))
            {
                throw new DataSourceException("Arrow file not found", label);
            }
        }
        else
        {
            label = pathOrName;
            if (_bytes is null)
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                _bytes = copy.ToArray();
            }
        }

        var source = new ArrowColumnarSource(label, () => OpenStream(label), options);
        source.ReadSchema();
        return new ColumnarDataView(source);
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        var view = await LoadAsync(mlContext, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            var full = Path.GetFullPath(pathOrName);
            return await DatasetDescriber.DescribeFilesAsync(Name, full, [full], view, cancellationToken).ConfigureAwait(false);
        }

        return DatasetDescriber.DescribeValues(Name, view, cancellationToken);
    }

    private Stream OpenStream(string path) =>
        _bytes is { } bytes ? new MemoryStream(bytes.ToArray(), writable: false) : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    /// <summary>The format behind the view.</summary>
    private sealed class ArrowColumnarSource(string label, Func<Stream> open, ColumnarReadOptions options) : IColumnarSource
    {
        private IReadOnlyList<ArrowColumnPlan> _plans = [];

        public IReadOnlyList<ColumnSpec> Columns { get; private set; } = [];

        public long? RowCount => null;

        public void ReadSchema()
        {
            using var reader = ArrowBatchReader.OpenReader(open(), label);
            Schema schema;
            try
            {
                schema = reader.Schema ?? reader.ReadNextRecordBatch()?.Schema ?? throw new InvalidDataException("no schema");
            }
            catch (Exception e) when (e is not DataSourceException)
            {
                throw new DataSourceException($"Not a readable Arrow IPC file or stream: {e.Message}", label, innerException: e);
            }

            _plans = ArrowSchemaMapper.Map(schema, label, options.UnsupportedColumns);
            Columns = _plans.Select(p => p.Spec).ToList();
        }

        public IBatchReader OpenBatchReader(IReadOnlyList<ColumnBuffer?> buffers) =>
            new ArrowBatchReader(ArrowBatchReader.OpenReader(open(), label), label, _plans, buffers, options.MissingValues);
    }
}
