using MlWorkflow.Data.Columnar;
using Parquet;

namespace MlWorkflow.Data.Parquet;

/// <summary>Reads the needed columns of each row group of each file into a cursor's buffers.</summary>
internal sealed class ParquetBatchReader(
    IReadOnlyList<ParquetPart> parts,
    IReadOnlyList<ColumnSpec> columns,
    IReadOnlyList<ColumnBuffer?> buffers,
    ColumnarReadOptions options) : IBatchReader
{
    private int _part = -1;
    private int _rowGroup;
    private ParquetReader? _reader;
    private ParquetColumnFiller?[] _fillers = [];
    private ParquetColumnFiller.FillContext?[] _contexts = [];

    public int ReadNextBatch()
    {
        while (true)
        {
            if (_reader is null || _rowGroup >= _reader.RowGroupCount)
            {
                if (!OpenNextPart())
                {
                    return 0;
                }

                continue;
            }

            var index = _rowGroup++;
            var path = parts[_part].Path;
            string? column = null;
            try
            {
                var rowGroup = _reader.OpenRowGroupReader(index);
                var rows = checked((int)rowGroup.RowCount);
                if (rows == 0)
                {
                    continue;
                }

                for (var i = 0; i < _fillers.Length; i++)
                {
                    if (_fillers[i] is { } filler)
                    {
                        column = columns[i].Name;
                        var context = _contexts[i] ??= new ParquetColumnFiller.FillContext(path, index, column, options.MissingValues);
                        filler.Fill(rowGroup, buffers[i]!, rows, context);
                    }
                }

                return rows;
            }
            catch (Exception e) when (e is not DataSourceException and not OperationCanceledException)
            {
                throw new DataSourceException($"Cannot read Parquet data: {e.Message}", path, rowGroup: index, column: column, innerException: e);
            }
        }
    }

    public void Dispose()
    {
        if (_reader is not null)
        {
            SyncBridge.Run(_reader.DisposeAsync());
            _reader = null;
        }

        _part = parts.Count;
    }

    private bool OpenNextPart()
    {
        if (_reader is not null)
        {
            SyncBridge.Run(_reader.DisposeAsync());
            _reader = null;
        }

        if (++_part >= parts.Count)
        {
            return false;
        }

        var part = parts[_part];
        _reader = ParquetFiles.OpenSync(part.Path, options.MaxParquetFooterLength);
        var plans = ParquetSchemaMapper.Map(_reader.Schema, part.Path, UnsupportedColumnPolicy.Skip).ToDictionary(p => p.Spec.Name, StringComparer.Ordinal);
        _fillers = new ParquetColumnFiller?[columns.Count];
        _contexts = new ParquetColumnFiller.FillContext?[columns.Count];
        _rowGroup = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            if (buffers[i] is null)
            {
                continue;
            }

            var spec = columns[i];
            if (part.Constants is not null && part.Constants.TryGetValue(spec.Name, out var constant))
            {
                _fillers[i] = ParquetColumnFiller.Constant(spec, constant);
            }
            else if (plans.TryGetValue(spec.Name, out var plan))
            {
                if (!plan.Spec.Type.Equals(spec.Type))
                {
                    throw new DataSourceException($"Column '{spec.Name}' is {plan.Spec.Type} in this file but {spec.Type} in the first file: the files' schemas clash", part.Path, column: spec.Name);
                }

                _fillers[i] = ParquetColumnFiller.ForPlan(plan);
            }
            else if (part.Constants is not null)
            {
                _fillers[i] = ParquetColumnFiller.Constant(spec, null);
            }
            else
            {
                throw new DataSourceException($"Column '{spec.Name}' is missing from this file: the files' schemas clash", part.Path, column: spec.Name);
            }
        }

        return true;
    }
}
