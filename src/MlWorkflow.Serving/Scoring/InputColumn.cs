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
