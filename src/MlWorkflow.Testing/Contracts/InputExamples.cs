using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;

namespace MlWorkflow.Testing.Contracts;

/// <summary>Reads a saved input example (MLflow's split JSON: <c>{"columns": [...], "data": [[...], ...]}</c>) as data typed like the model's input schema.</summary>
internal static partial class InputExamples
{
    /// <summary>Reads the example through a CSV file in <paramref name="scratch"/> and ML.NET's text loader, each column typed as the model's input.</summary>
    /// <exception cref="FormatException">The JSON is not the split form, or names a column the model does not read as a scalar.</exception>
    public static IDataView Read(MlnetModel model, string json, string scratch)
    {
        // Python-style JSON may hold bare NaN and Infinity, which JSON readers refuse: they are missing values here.
        using var document = JsonDocument.Parse(NonFinite().Replace(json, "null"));
        if (!document.RootElement.TryGetProperty("columns", out var columnsElement) || !document.RootElement.TryGetProperty("data", out var dataElement))
        {
            throw new FormatException("it is not MLflow's split form ({\"columns\": [...], \"data\": [[...]]})");
        }

        var names = columnsElement.EnumerateArray().Select(c => c.GetString() ?? throw new FormatException("a column name is not a string")).ToArray();
        var loaderColumns = new TextLoader.Column[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var type = model.InputSchema.GetColumnOrNull(names[i])?.Type ?? TextDataViewType.Instance;
            loaderColumns[i] = new TextLoader.Column(names[i], KindOf(names[i], type), i);
        }

        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', names.Select(Quote)));
        foreach (var row in dataElement.EnumerateArray())
        {
            csv.AppendLine(string.Join(',', row.EnumerateArray().Select(Cell)));
        }

        Directory.CreateDirectory(scratch);
        var file = Path.Combine(scratch, "input_example.csv");
        File.WriteAllText(file, csv.ToString(), new UTF8Encoding(false));
        var loader = model.MLContext.Data.CreateTextLoader(
            new TextLoader.Options { Columns = loaderColumns, HasHeader = true, Separators = [','], AllowQuoting = true, MissingRealsAsNaNs = true });
        return loader.Load(file);
    }

    private static DataKind KindOf(string name, DataViewType type) => type switch
    {
        TextDataViewType => DataKind.String,
        BooleanDataViewType => DataKind.Boolean,
        DateTimeDataViewType => DataKind.DateTime,
        _ when type == NumberDataViewType.Single => DataKind.Single,
        _ when type == NumberDataViewType.Double => DataKind.Double,
        _ when type == NumberDataViewType.Int32 => DataKind.Int32,
        _ when type == NumberDataViewType.Int64 => DataKind.Int64,
        _ when type == NumberDataViewType.UInt32 => DataKind.UInt32,
        _ => throw new FormatException($"column '{name}' is {type}, which the input example check does not read (only scalar columns)"),
    };

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => string.Empty,
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new FormatException($"a cell is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a scalar"),
    };

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"(?<=[\[,:]\s*)-?(NaN|Infinity)(?=\s*[,\]}])", RegexOptions.CultureInvariant)]
    private static partial Regex NonFinite();
}
