using MlWorkflow.Data.Columnar;
using Parquet;
using Parquet.Schema;

namespace MlWorkflow.Data.Parquet;

/// <summary>Reads a non-repeated leaf column straight into the buffer's array (or through a conversion), then spreads the
/// non-null values over their rows using the definition levels.</summary>
internal sealed class ParquetScalarFiller<TIn, TOut>(DataField field) : ParquetColumnFiller
    where TIn : struct
{
    private static readonly Func<TIn, TOut> Convert = ValueConverters.Get<TIn, TOut>();
    private TIn[] _scratch = [];

    public override void Fill(ParquetRowGroupReader rowGroup, ColumnBuffer buffer, int rows, FillContext context)
    {
        var target = (ScalarColumnBuffer<TOut>)buffer;
        var values = target.Reserve(rows);
        var maxDefinition = field.MaxDefinitionLevel;
        int[]? levels = maxDefinition == 0 ? null : context.DefinitionLevels(rows);
        if (typeof(TIn) == typeof(TOut))
        {
            var memory = ((TIn[])(object)target.Values).AsMemory(0, rows);
            SyncBridge.Run(rowGroup.ReadRawAsync(field, memory, levels?.AsMemory(0, rows), null));
            if (levels is not null)
            {
                Spread(values, levels.AsSpan(0, rows), maxDefinition, context);
            }

            return;
        }

        if (_scratch.Length < rows)
        {
            _scratch = new TIn[rows];
        }

        SyncBridge.Run(rowGroup.ReadRawAsync(field, _scratch.AsMemory(0, rows), levels?.AsMemory(0, rows), null));
        var next = 0;
        for (var i = 0; i < rows; i++)
        {
            if (levels is null || levels[i] == maxDefinition)
            {
                values[i] = Convert(_scratch[next++]);
            }
            else if (context.Policy == MissingValuePolicy.Fail)
            {
                throw context.NullFound(i);
            }
            else
            {
                values[i] = DataViewTypes.MissingValue<TOut>();
            }
        }
    }

    private static void Spread(Span<TOut> values, ReadOnlySpan<int> levels, int maxDefinition, FillContext context)
    {
        var present = 0;
        foreach (var level in levels)
        {
            if (level == maxDefinition)
            {
                present++;
            }
        }

        if (present == values.Length)
        {
            return;
        }

        var next = present - 1;
        for (var i = values.Length - 1; i >= 0; i--)
        {
            if (levels[i] == maxDefinition)
            {
                values[i] = values[next--];
            }
            else if (context.Policy == MissingValuePolicy.Fail)
            {
                throw context.NullFound(i);
            }
            else
            {
                values[i] = DataViewTypes.MissingValue<TOut>();
            }
        }
    }
}
