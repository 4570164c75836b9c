using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Serving.Protocol;

/// <summary>
/// Reads an <c>application/json</c> scoring request in each of the forms MLflow 2.x accepts (<c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c>, <c>inputs</c>, optional <c>params</c>), with MLflow's error messages.
/// See https://mlflow.org/docs/latest/deployment/deploy-model-locally.html (the scoring server's input formats).
/// </summary>
internal static class JsonRequestParser
{
    private const string DataKeysText = "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}";
    private const string ProtocolNote = "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";
    private static readonly string[] DataKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"];
    private static readonly string[] LlmKeys = ["messages", "prompt", "input"];
    private static readonly string[] SplitKeys = ["data", "columns", "index"];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses the body.</summary>
    /// <param name="body">The UTF-8 body.</param>
    /// <param name="modelColumns">The model's input columns (a bare array is that column when the model has only one).</param>
    /// <param name="schemaText">The model's signature, for the error of an LLM-style request.</param>
    public static ScoringRequest Parse(ReadOnlyMemory<byte> body, IReadOnlyList<string> modelColumns, string schemaText)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException error)
        {
            var text = Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 4 * Excerpt.MaxQuoted)]);
            throw ScoringException.Input($"Invalid input. Ensure that input is a valid JSON formatted string. Error: '{Excerpt.Short(error.Message, 160)}'\nInput: \n{Excerpt.Of(text)}\n");
        }

        try
        {
            var request = Read(document.RootElement, modelColumns, schemaText);
            return new ScoringRequest(request.Table, request.Parameters, document);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static (InputTable Table, JsonElement? Parameters) Read(JsonElement root, IReadOnlyList<string> modelColumns, string schemaText)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            throw ScoringException.Input($"Invalid input. The input must be a JSON dictionary with exactly one of the input fields {DataKeysText}. Received a list.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ScoringException.Input($"Invalid input. The input must be a JSON dictionary with exactly one of the input fields {DataKeysText}. Received unexpected input type '{KindName(root)}'.");
        }

        // MLflow reads these as a chat/completions request; a model with a column signature then lacks all its inputs.
        if (LlmKeys.Any(k => root.TryGetProperty(k, out _)))
        {
            var extra = root.EnumerateObject().Select(p => p.Name).Where(n => n != "params").ToList();
            throw ScoringException.Schema($"Failed to enforce schema of data with schema '{schemaText}'. Error: Model is missing inputs {Excerpt.Names(modelColumns)}. Note that there were extra inputs: {Excerpt.Names(extra)}");
        }

        var present = DataKeys.Where(k => root.TryGetProperty(k, out _)).ToList();
        if (present.Count != 1)
        {
            throw ScoringException.Input($"The input must be a JSON dictionary with exactly one of the input fields {DataKeysText}. Received dictionary with input fields: {Excerpt.Names(present)}. {ProtocolNote}");
        }

        JsonElement? parameters = null;
        if (root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            parameters = p.ValueKind == JsonValueKind.Object
                ? p
                : throw ScoringException.Schema($"Parameters must be a dictionary. Got type '{KindName(p)}'.");
        }

        var data = root.GetProperty(present[0]);
        var table = present[0] switch
        {
            "dataframe_split" => Split(data),
            "dataframe_records" => data.ValueKind == JsonValueKind.Array
                ? Records(data, strict: false)
                : throw ScoringException.Input($"Invalid input. Dataframe records format must be a list of records. Got {(data.ValueKind == JsonValueKind.Object ? "dictionary" : $"type '{KindName(data)}'")}."),
            "instances" => data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Object
                ? Records(data, strict: true)
                : Inputs(data, modelColumns),
            _ => Inputs(data, modelColumns),
        };
        return (table, parameters);
    }

    private static InputTable Split(JsonElement split)
    {
        if (split.ValueKind != JsonValueKind.Object)
        {
            throw ScoringException.Input($"Invalid input. Dataframe split format must be a dictionary. Got {KindName(split)}.");
        }

        var keys = split.EnumerateObject().Select(p => p.Name).ToList();
        if (!keys.Contains("data") || keys.Any(k => !SplitKeys.Contains(k)))
        {
            throw ScoringException.Input($"Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {{{string.Join(", ", keys.Take(10).Select(k => $"'{Excerpt.Short(k)}'"))}}}.");
        }

        var data = split.GetProperty("data");
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw NotSplit($"'data' must be a list of rows, not {KindName(data)}");
        }

        List<string>? names = null;
        if (split.TryGetProperty("columns", out var columns) && columns.ValueKind != JsonValueKind.Null)
        {
            if (columns.ValueKind != JsonValueKind.Array)
            {
                throw NotSplit($"'columns' must be a list of names, not {KindName(columns)}");
            }

            names = columns.EnumerateArray().Select(c => c.ValueKind switch
            {
                JsonValueKind.String => c.GetString()!,
                JsonValueKind.Number => c.GetRawText(),
                _ => throw NotSplit($"column names must be strings, not {KindName(c)}"),
            }).ToList();
        }

        var rows = data.GetArrayLength();
        int width;
        if (names is not null)
        {
            width = names.Count;
        }
        else
        {
            width = rows == 0 ? 0 : data[0].ValueKind == JsonValueKind.Array ? data[0].GetArrayLength() : 1;
            names = Enumerable.Range(0, width).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        }

        var cells = names.Select(_ => new Cell[rows]).ToArray();
        var r = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Array)
            {
                var length = row.GetArrayLength();
                if (length != width)
                {
                    throw NotSplit(string.Create(CultureInfo.InvariantCulture, $"{width} columns passed, passed data had {length} columns (row {r})"));
                }

                var c = 0;
                foreach (var value in row.EnumerateArray())
                {
                    cells[c++][r] = Cell.FromJson(value);
                }
            }
            else if (width == 1)
            {
                cells[0][r] = Cell.FromJson(row);
            }
            else
            {
                throw NotSplit(string.Create(CultureInfo.InvariantCulture, $"{width} columns passed, passed data had 1 columns (row {r})"));
            }

            r++;
        }

        var table = new InputTable(rows);
        for (var i = 0; i < names.Count; i++)
        {
            table.Add(names[i], cells[i]);
        }

        return table;
    }

    private static ScoringException NotSplit(string error) =>
        ScoringException.Input($"Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '{error}'");

    private static InputTable Records(JsonElement records, bool strict)
    {
        var rows = records.GetArrayLength();
        var columns = new Dictionary<string, Cell[]>(StringComparer.Ordinal);
        var order = new List<string>();
        var r = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw ScoringException.Input(strict
                    ? $"Invalid input. Each instance must be a JSON dictionary when the first one is; instance {r} is {KindName(record)}."
                    : $"Invalid input. Dataframe records format must be a list of records. Got a list whose item {r} is {KindName(record)}.");
            }

            foreach (var property in record.EnumerateObject())
            {
                if (!columns.TryGetValue(property.Name, out var cells))
                {
                    cells = new Cell[rows];
                    columns.Add(property.Name, cells);
                    order.Add(property.Name);
                }

                cells[r] = Cell.FromJson(property.Value);
            }

            r++;
        }

        var table = new InputTable(rows);
        foreach (var name in order)
        {
            var cells = columns[name];
            if (strict && cells.Any(c => c.Json.ValueKind == JsonValueKind.Undefined))
            {
                throw ScoringException.Input("Invalid input. The length of values for each input/column name are not the same");
            }

            table.Add(name, cells);
        }

        return table;
    }

    private static InputTable Inputs(JsonElement inputs, IReadOnlyList<string> modelColumns)
    {
        switch (inputs.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var columns = inputs.EnumerateObject()
                        .Select(p => (p.Name, Cells: p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(Cell.FromJson).ToArray() : [Cell.FromJson(p.Value)]))
                        .ToList();
                    var rows = columns.Count == 0 ? 0 : columns[0].Cells.Length;
                    if (columns.Any(c => c.Cells.Length != rows))
                    {
                        throw ScoringException.Schema("This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: All arrays must be of the same length");
                    }

                    var table = new InputTable(rows);
                    foreach (var (name, cells) in columns)
                    {
                        table.Add(name, cells);
                    }

                    return table;
                }

            case JsonValueKind.Array when inputs.GetArrayLength() > 0 && inputs[0].ValueKind == JsonValueKind.Object:
                return Records(inputs, strict: false);
            case JsonValueKind.Array when inputs.GetArrayLength() > 0 && inputs[0].ValueKind == JsonValueKind.Array:
                {
                    // Rows of values by position: the columns are named 0, 1, … as pandas names them.
                    var width = inputs[0].GetArrayLength();
                    var rows = inputs.GetArrayLength();
                    var cells = Enumerable.Range(0, width).Select(_ => new Cell[rows]).ToArray();
                    var r = 0;
                    foreach (var row in inputs.EnumerateArray())
                    {
                        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != width)
                        {
                            throw ScoringException.Input(string.Create(CultureInfo.InvariantCulture, $"Invalid input. Every row of 'inputs' must be a list of {width} values; row {r} is not."));
                        }

                        var c = 0;
                        foreach (var value in row.EnumerateArray())
                        {
                            cells[c++][r] = Cell.FromJson(value);
                        }

                        r++;
                    }

                    var table = new InputTable(rows);
                    for (var c = 0; c < width; c++)
                    {
                        table.Add(c.ToString(CultureInfo.InvariantCulture), cells[c]);
                    }

                    return table;
                }

            default:
                {
                    // A bare value or list of values: the model's only column, as MLflow wraps it; else column 0.
                    var values = inputs.ValueKind == JsonValueKind.Array ? inputs.EnumerateArray().Select(Cell.FromJson).ToArray() : [Cell.FromJson(inputs)];
                    var table = new InputTable(values.Length);
                    table.Add(modelColumns.Count == 1 ? modelColumns[0] : "0", values);
                    return table;
                }
        }
    }

    /// <summary>The Python type name MLflow's messages use for a JSON value.</summary>
    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "dict",
        JsonValueKind.String => "str",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "int" : "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "NoneType",
    };
}
