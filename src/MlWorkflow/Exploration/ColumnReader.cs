using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

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
        BooleanDataViewType => new Reader<bool>(cursor.GetGetter<bool>(column), (bool v, out double n) => { n = v ? 1 : 0; return false; }, v => v ? "true" : "false"),
        TextDataViewType => new TextReader(cursor.GetGetter<ReadOnlyMemory<char>>(column)),
        _ when column.Type == NumberDataViewType.Double => Numbers<double>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.Single => Numbers<float>(cursor, column, v => double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        _ when column.Type == NumberDataViewType.Int32 => Numbers<int>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.Int64 => Numbers<long>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.Int16 => Numbers<short>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.SByte => Numbers<sbyte>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.Byte => Numbers<byte>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.UInt16 => Numbers<ushort>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.UInt32 => Numbers<uint>(cursor, column, v => v),
        _ when column.Type == NumberDataViewType.UInt64 => Numbers<ulong>(cursor, column, v => v),
        _ => null,
    };

    private static Reader<T> Numbers<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert) =>
        new(cursor.GetGetter<T>(column), (T v, out double n) => { n = convert(v); return double.IsNaN(n); }, null);

    private delegate bool Convert<T>(T value, out double number);

    private sealed class Reader<T> : ColumnReader
    {
        private readonly ValueGetter<T> _getter;
        private readonly Convert<T> _convert;
        private readonly Func<T, string>? _text;
        private T _value = default!;

        public Reader(ValueGetter<T> getter, Convert<T> convert, Func<T, string>? text)
        {
            _getter = getter;
            _convert = convert;
            _text = text;
        }

        public override void Read()
        {
            _getter(ref _value);
            IsMissing = _convert(_value, out var number);
            Number = number;
            if (_text is not null)
            {
                Text = _text(_value);
            }
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
