using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Exploration;

/// <summary>Reads one column of the current row as a number or a text, and whether it is missing.</summary>
internal abstract class ColumnReader
{
    public bool IsMissing { get; protected set; }

    public double Number { get; protected set; }

    public string Text { get; protected set; } = string.Empty;

    public abstract void Read();

    /// <summary>The kind a column is profiled as.</summary>
    public static ColumnKind KindOf(DataViewType type) => type switch
    {
        KeyDataViewType { RawType: var raw } when raw == typeof(uint) => ColumnKind.Categorical,
        KeyDataViewType => ColumnKind.Other,
        BooleanDataViewType => ColumnKind.Boolean,
        TextDataViewType => ColumnKind.Categorical,
        NumberDataViewType => ColumnKind.Numeric,
        _ => ColumnKind.Other,
    };

    public static ColumnReader? Create(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type switch
    {
        KeyDataViewType { RawType: var raw } when raw == typeof(uint) => new KeyReader(cursor.GetGetter<uint>(column)),
        BooleanDataViewType => new BooleanReader(cursor.GetGetter<bool>(column)),
        TextDataViewType => new TextReader(cursor.GetGetter<ReadOnlyMemory<char>>(column)),
        _ => NumericColumn.Getter(cursor, column, singlesAsShown: true) is { } number ? new NumberReader(number) : null,
    };

    private sealed class NumberReader(Func<double> number) : ColumnReader
    {
        public override void Read()
        {
            Number = number();
            IsMissing = double.IsNaN(Number);
        }
    }

    private sealed class BooleanReader(ValueGetter<bool> getter) : ColumnReader
    {
        private bool _value;

        public override void Read()
        {
            getter(ref _value);
            Number = _value ? 1 : 0;
            Text = _value ? "true" : "false";
        }
    }

    private sealed class TextReader(ValueGetter<ReadOnlyMemory<char>> getter) : ColumnReader
    {
        private ReadOnlyMemory<char> _value;

        public override void Read()
        {
            getter(ref _value);
            IsMissing = _value.IsEmpty;
            Text = IsMissing ? string.Empty : _value.ToString();
        }
    }

    // Key 0 is ML.NET's missing key; the others are shown by their number.
    private sealed class KeyReader(ValueGetter<uint> getter) : ColumnReader
    {
        private uint _value;

        public override void Read()
        {
            getter(ref _value);
            IsMissing = _value == 0;
            Number = _value;
            Text = _value.ToString(CultureInfo.InvariantCulture);
        }
    }
}
