using System.Text.Json;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Protocol;

/// <summary>
/// The common request read in one pass, without a JSON document: <c>{"dataframe_split": {"columns": [...], "data": [[...], ...]}}</c>
/// (an <c>index</c> before the data skipped; the data last) whose values are all of their column's own JSON kind, straight
/// into the typed columns the model reads; the rows are scanned by hand (<see cref="SplitRowScanner"/>). Anything else (another form, <c>params</c>, nulls, a value that needs a cast, a missing or repeated column,
/// malformed JSON) is declined, and <see cref="JsonRequestParser"/> reads the body and gives MLflow's answer, errors included.
/// </summary>
internal static class DataframeSplitReader
{
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

            return ReadSplit(ref reader, body, inputs, out rows);
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

    /// <summary>The split object up to its <c>data</c>, which must come last: the rows are then scanned by hand to the body's end.</summary>
    private static Array[]? ReadSplit(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, IReadOnlyList<InputColumn> inputs, out int rows)
    {
        rows = 0;
        int[]? targets = null;
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
            else if (reader.ValueTextEquals("data"u8) && targets is not null)
            {
                var scanner = new SplitRowScanner(body, checked((int)reader.BytesConsumed));
                return scanner.TryReadRows(inputs, targets, out rows);
            }
            else
            {
                return null;
            }
        }

        return null;
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

    internal static Array Grow(Array values, int length)
    {
        var grown = Array.CreateInstance(values.GetType().GetElementType()!, length);
        Array.Copy(values, grown, Math.Min(values.Length, length));
        return grown;
    }
}
