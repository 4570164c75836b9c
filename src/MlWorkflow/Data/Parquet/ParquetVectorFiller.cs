using MlWorkflow.Data.Columnar;
using Parquet;
using Parquet.Schema;

namespace MlWorkflow.Data.Parquet;

/// <summary>Reads a LIST leaf column and cuts its items into rows by the repetition levels: a null or empty list is an empty
/// vector, a null item is the missing value (or an error under <see cref="MissingValuePolicy.Fail"/>).</summary>
internal sealed class ParquetVectorFiller<TIn, TOut>(DataField field) : ParquetColumnFiller
    where TIn : struct
{
    private static readonly Func<TIn, TOut> Convert = ValueConverters.Get<TIn, TOut>();

    public override void Fill(ParquetRowGroupReader rowGroup, ColumnBuffer buffer, int rows, FillContext context)
    {
        var target = (VectorColumnBuffer<TOut>)buffer;
        using var raw = (global::Parquet.Data.RawColumnData<TIn>)SyncBridge.Run(rowGroup.ReadRawColumnDataBaseAsync(field));
        var values = raw.Values;
        var definitions = raw.DefinitionLevels;
        var repetitions = raw.RepetitionLevels;
        var maxDefinition = field.MaxDefinitionLevel;
        var itemThreshold = maxDefinition - (field.IsNullable ? 1 : 0);
        target.Reserve(rows, definitions.Length);
        var row = -1;
        var items = 0;
        var next = 0;
        for (var i = 0; i < definitions.Length; i++)
        {
            if (repetitions[i] == 0)
            {
                row++;
                if (row >= rows)
                {
                    throw new DataSourceException($"The list column holds more rows than the row group's {rows}", context.FilePath, rowGroup: context.RowGroup, column: context.Column);
                }

                target.Offsets[row] = items;
            }

            if (row < 0)
            {
                throw new DataSourceException("The list column's repetition levels do not start a row: the data is corrupt", context.FilePath, rowGroup: context.RowGroup, column: context.Column);
            }

            var definition = definitions[i];
            if (definition == maxDefinition)
            {
                target.Values[items++] = Convert(values[next++]);
            }
            else if (definition >= itemThreshold)
            {
                if (context.Policy == MissingValuePolicy.Fail)
                {
                    throw context.NullFound(row);
                }

                target.Values[items++] = DataViewTypes.MissingValue<TOut>();
            }
        }

        if (row != rows - 1)
        {
            throw new DataSourceException($"The list column holds {row + 1} rows, not the row group's {rows}", context.FilePath, rowGroup: context.RowGroup, column: context.Column);
        }

        target.Offsets[rows] = items;
    }
}
