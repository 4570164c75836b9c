using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;
using MlWorkflow.Serving.Protocol;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// One input column of the model: its name, ML.NET type and MLflow type name, and the conversion of request values to
/// that type. Conversions are MLflow's lenient casts (an integer or a numeric string for a number, null for a float is NaN)
/// except that a fraction for an integer column is refused rather than truncated.
/// </summary>
internal sealed class InputColumn
{
    private readonly InputKind _kind;
    private readonly int _vectorSize;

    public InputColumn(string name, DataViewType type)
    {
        Name = name;
        Type = type;
        (_kind, _vectorSize) = type switch
        {
            _ when type == NumberDataViewType.Single => (InputKind.Single, 0),
            _ when type == NumberDataViewType.Double => (InputKind.Double, 0),
            _ when type == NumberDataViewType.Int32 => (InputKind.Int32, 0),
            _ when type == NumberDataViewType.Int64 => (InputKind.Int64, 0),
            BooleanDataViewType => (InputKind.Boolean, 0),
            TextDataViewType => (InputKind.Text, 0),
            VectorDataViewType { ItemType: var item, Size: > 0 and var size } when item == NumberDataViewType.Single => (InputKind.SingleVector, size),
            _ => (InputKind.Unsupported, 0),
        };
        MlflowType = _kind switch
        {
            InputKind.Single => "float",
            InputKind.Double => "double",
            InputKind.Int32 => "integer",
            InputKind.Int64 => "long",
            InputKind.Boolean => "boolean",
            InputKind.Text => "string",
            InputKind.SingleVector => string.Create(CultureInfo.InvariantCulture, $"array<float>[{_vectorSize}]"),
            _ => type.ToString() ?? "unknown",
        };
    }

    private enum InputKind
    {
        Unsupported,
        Single,
        Double,
        Int32,
        Int64,
        Boolean,
        Text,
        SingleVector,
    }

    public string Name { get; }

    public DataViewType Type { get; }

    /// <summary>The type's name as MLflow's signatures write it (<c>float</c>, <c>long</c>, <c>string</c>, …).</summary>
    public string MlflowType { get; }

    /// <summary>Converts the request's cells into the typed array the data view holds.</summary>
    /// <exception cref="ScoringException">A value does not convert (400 BAD_REQUEST, naming the column, row and value).</exception>
    public Array Convert(Cell[] cells)
    {
        switch (_kind)
        {
            case InputKind.Single:
                {
                    var values = new float[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = (float)Number(cells[i], i);
                    }

                    return values;
                }

            case InputKind.Double:
                {
                    var values = new double[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = Number(cells[i], i);
                    }

                    return values;
                }

            case InputKind.Int32:
                {
                    var values = new int[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        var value = Integer(cells[i], i);
                        values[i] = value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Fail(cells[i], i, "is out of the 32-bit integer range");
                    }

                    return values;
                }

            case InputKind.Int64:
                {
                    var values = new long[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = Integer(cells[i], i);
                    }

                    return values;
                }

            case InputKind.Boolean:
                {
                    var values = new bool[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = Boolean(cells[i], i);
                    }

                    return values;
                }

            case InputKind.Text:
                {
                    var values = new ReadOnlyMemory<char>[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = Text(cells[i], i).AsMemory();
                    }

                    return values;
                }

            case InputKind.SingleVector:
                {
                    var values = new VBuffer<float>[cells.Length];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        values[i] = new VBuffer<float>(_vectorSize, Vector(cells[i], i));
                    }

                    return values;
                }

            default:
                throw ScoringException.Schema($"The model's input column '{Excerpt.Short(Name)}' is of type {Type}, which the scoring server cannot fill from a request.");
        }
    }

    /// <summary>Whether <see cref="TryTakeValue"/> can read this column's values straight from JSON tokens.</summary>
    public bool IsReadDirectly => _kind is InputKind.Single or InputKind.Double or InputKind.Int32 or InputKind.Int64 or InputKind.Boolean or InputKind.Text;

    /// <summary>A typed array of <paramref name="length"/> values, as <see cref="Convert"/> returns (for a column <see cref="IsReadDirectly"/>).</summary>
    public Array NewValues(int length) => _kind switch
    {
        InputKind.Single => new float[length],
        InputKind.Double => new double[length],
        InputKind.Int32 => new int[length],
        InputKind.Int64 => new long[length],
        InputKind.Boolean => new bool[length],
        InputKind.Text => new ReadOnlyMemory<char>[length],
        _ => throw new InvalidOperationException($"Column '{Name}' is not read directly."),
    };

    /// <summary>
    /// Takes a scanned value into <paramref name="values"/>[<paramref name="row"/>] when it is of the column's own JSON kind
    /// (a finite number for a float column, an integer for an integer one, true/false, a string), giving what
    /// <see cref="Convert"/> gives for it; false for anything else, which the general path then converts or refuses.
    /// </summary>
    public bool TryTakeValue(ScannedKind kind, ReadOnlySpan<byte> raw, Array values, int row, TextChunks text)
    {
        switch (_kind)
        {
            case InputKind.Single when kind == ScannedKind.Number && TryGetNumber(raw, out var value):
                ((float[])values)[row] = (float)value;
                return true;
            case InputKind.Double when kind == ScannedKind.Number && TryGetNumber(raw, out var value):
                ((double[])values)[row] = value;
                return true;
            case InputKind.Int32 when kind == ScannedKind.Number && TryGetInteger(raw, out var value) && value is >= int.MinValue and <= int.MaxValue:
                ((int[])values)[row] = (int)value;
                return true;
            case InputKind.Int64 when kind == ScannedKind.Number && TryGetInteger(raw, out var value):
                ((long[])values)[row] = value;
                return true;
            case InputKind.Boolean when kind is ScannedKind.True or ScannedKind.False:
                ((bool[])values)[row] = kind == ScannedKind.True;
                return true;
            case InputKind.Text when kind == ScannedKind.String && text.TryAdd(raw, out var slice):
                ((ReadOnlyMemory<char>[])values)[row] = slice;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A JSON number's text as a double, false unless finite. A plain decimal of at most 15 digits (<c>-61.5</c>,
    /// <c>0.23</c>) is its digits divided by a power of ten: both exact doubles, so the one rounded division is the correctly
    /// rounded value, the double any correct parser gives; anything else goes to .NET's own (correctly rounded) parser.
    /// </summary>
    private static bool TryGetNumber(ReadOnlySpan<byte> text, out double value)
    {
        var i = text.Length > 0 && text[0] == (byte)'-' ? 1 : 0;
        long digits = 0;
        var count = 0;
        var fraction = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                digits = (digits * 10) + (c - '0');
                count++;
            }
            else if (c == '.' && fraction < 0)
            {
                fraction = i;
            }
            else
            {
                break;
            }
        }

        if (i == text.Length && count is > 0 and <= 15)
        {
            var scale = fraction < 0 ? 0 : text.Length - fraction - 1;
            value = digits / PowersOfTen[scale];
            value = text[0] == (byte)'-' ? -value : value;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>A JSON number's text as a 64-bit integer; false for a fraction, an exponent or an overflow.</summary>
    private static bool TryGetInteger(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private double Number(Cell cell, int row)
    {
        if (cell.IsMissing)
        {
            return double.NaN;
        }

        if (cell.IsText)
        {
            return ParseNumber(cell.Text!, out var parsed) ? parsed : throw Fail(cell, row, "is not a number");
        }

        var json = cell.Json;
        return json.ValueKind switch
        {
            JsonValueKind.Number when json.TryGetDouble(out var value) && double.IsFinite(value) => value,
            JsonValueKind.String when ParseNumber(json.GetString()!, out var parsed) => parsed,
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => throw Fail(cell, row, "is not a number"),
        };
    }

    private long Integer(Cell cell, int row)
    {
        if (cell.IsMissing)
        {
            throw Fail(cell, row, "is missing; an integer column cannot hold null");
        }

        if (cell.IsText)
        {
            return ParseInteger(cell.Text!, out var parsed) ? parsed : throw Fail(cell, row, "is not an integer");
        }

        var json = cell.Json;
        return json.ValueKind switch
        {
            JsonValueKind.Number when json.TryGetInt64(out var value) => value,
            JsonValueKind.Number when json.TryGetDouble(out var value) && IsIntegral(value) => (long)value,
            JsonValueKind.String when ParseInteger(json.GetString()!, out var parsed) => parsed,
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => throw Fail(cell, row, "is not an integer"),
        };
    }

    private bool Boolean(Cell cell, int row)
    {
        var text = cell.IsText ? cell.Text
            : cell.Json.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number or JsonValueKind.String => cell.Json.ValueKind == JsonValueKind.String ? cell.Json.GetString() : cell.Json.GetRawText(),
                _ => null,
            };
        return text?.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "1" => true,
            "FALSE" or "0" => false,
            _ => throw Fail(cell, row, "is not true or false"),
        };
    }

    private string Text(Cell cell, int row)
    {
        if (cell.IsText || cell.IsMissing)
        {
            return cell.Text ?? string.Empty;
        }

        return cell.Json.ValueKind switch
        {
            JsonValueKind.String => cell.Json.GetString()!,
            JsonValueKind.Number => cell.Json.GetRawText(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => throw Fail(cell, row, "is not a string"),
        };
    }

    private float[] Vector(Cell cell, int row)
    {
        if (cell.IsText || cell.Json.ValueKind != JsonValueKind.Array)
        {
            throw Fail(cell, row, string.Create(CultureInfo.InvariantCulture, $"is not a JSON list of {_vectorSize} numbers"));
        }

        if (cell.Json.GetArrayLength() != _vectorSize)
        {
            throw Fail(cell, row, string.Create(CultureInfo.InvariantCulture, $"has {cell.Json.GetArrayLength()} values, not {_vectorSize}"));
        }

        var values = new float[_vectorSize];
        var i = 0;
        foreach (var item in cell.Json.EnumerateArray())
        {
            values[i++] = (float)Number(Cell.FromJson(item), row);
        }

        return values;
    }

    private ScoringException Fail(Cell cell, int row, string problem) =>
        ScoringException.Input(string.Create(
            CultureInfo.InvariantCulture,
            $"Invalid input. Data is not compatible with model signature. Failed to convert column {Excerpt.Short(Name)} to type '{MlflowType}': the value {cell} in row {row} {problem}."));

    private static bool ParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool ParseInteger(string text, out long value)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (ParseNumber(text, out var number) && IsIntegral(number))
        {
            value = (long)number;
            return true;
        }

        return false;
    }

    private static bool IsIntegral(double value) => double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) < 9.2e18;
}
