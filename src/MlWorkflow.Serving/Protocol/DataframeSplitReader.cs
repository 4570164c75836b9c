using System.Text.Json;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Protocol;

/// <summary>
/// The common request read in one pass, without a JSON document: <c>{"dataframe_split": {"columns": [...], "data": [[...], ...]}}</c>
/// (an <c>index</c> skipped) whose values are all of their column's own JSON kind, straight into the typed columns the
/// model reads. Anything else (another form, <c>params</c>, nulls, a value that needs a cast, a missing or repeated column,
/// malformed JSON) is declined, and <see cref="JsonRequestParser"/> reads the body and gives MLflow's answer, errors included.
/// </summary>
internal static class DataframeSplitReader
{
    private const int FirstCapacity = 128;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the body into one array per input of <paramref name="inputs"/>, in their order, or returns null when the body is not the plain case.</summary>
    public static Array[]? TryRead(ReadOnlySpan<byte> body, IReadOnlyList<InputColumn> inputs, out int rows)
    {
        rows = 0;
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("dataframe_split"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var columns = ReadSplit(ref reader, inputs, out rows);

            // The split object must be the body's only key, and nothing may follow the body's object.
            if (columns is null || !reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }

            return columns;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A token read as the wrong kind: not the plain case.
            return null;
        }
    }

    private static Array[]? ReadSplit(ref Utf8JsonReader reader, IReadOnlyList<InputColumn> inputs, out int rows)
    {
        rows = 0;
        int[]? targets = null;
        Array[]? columns = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("columns"u8) && targets is null)
            {
                targets = ReadColumns(ref reader, inputs);
                if (targets is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8) && targets is not null && columns is null)
            {
                columns = ReadData(ref reader, inputs, targets, out rows);
                if (columns is null)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && rows > 0 ? columns : null;
    }

    /// <summary>For each column the client names, the index of the model input it fills, or -1 for a column the model does not read.</summary>
    private static int[]? ReadColumns(ref Utf8JsonReader reader, IReadOnlyList<InputColumn> inputs)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var targets = new List<int>(inputs.Count);
        var filled = new bool[inputs.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            var target = -1;
            for (var i = 0; i < inputs.Count; i++)
            {
                if (reader.ValueTextEquals(inputs[i].Name))
                {
                    target = i;
                    break;
                }
            }

            if (target >= 0)
            {
                if (filled[target])
                {
                    // A repeated name: pandas keeps the last one; the general reader does that.
                    return null;
                }

                filled[target] = true;
            }

            targets.Add(target);
        }

        return reader.TokenType == JsonTokenType.EndArray && Array.TrueForAll(filled, f => f) ? [.. targets] : null;
    }

    private static Array[]? ReadData(ref Utf8JsonReader reader, IReadOnlyList<InputColumn> inputs, int[] targets, out int rows)
    {
        rows = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var text = new TextChunks();
        var capacity = FirstCapacity;
        var columns = new Array[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            columns[i] = inputs[i].NewValues(capacity);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            if (rows == capacity)
            {
                capacity *= 2;
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = Grow(columns[i], capacity);
                }
            }

            foreach (var target in targets)
            {
                if (!reader.Read())
                {
                    return null;
                }

                if (target < 0)
                {
                    // A column the model does not read: any value, as the general reader takes it.
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return null;
                    }

                    reader.Skip();
                    continue;
                }

                if (!inputs[target].TryReadValue(ref reader, columns[target], rows, text))
                {
                    return null;
                }
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return null;
            }

            rows++;
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return null;
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length != rows)
            {
                columns[i] = Grow(columns[i], rows);
            }
        }

        return columns;
    }

    private static Array Grow(Array values, int length)
    {
        var grown = Array.CreateInstance(values.GetType().GetElementType()!, length);
        Array.Copy(values, grown, Math.Min(values.Length, length));
        return grown;
    }
}
