using System.Text.Json;

namespace MlWorkflow.Serving.Protocol;

/// <summary>One input value: a JSON value, or the text of a CSV field (null for an empty field).</summary>
internal readonly struct Cell
{
    private Cell(JsonElement json, string? text, bool isText)
    {
        Json = json;
        Text = text;
        IsText = isText;
    }

    /// <summary>The JSON value, when the cell came from a JSON body.</summary>
    public JsonElement Json { get; }

    /// <summary>The CSV field's text, when the cell came from a CSV body; null for an empty field.</summary>
    public string? Text { get; }

    /// <summary>Whether the cell came from a CSV body.</summary>
    public bool IsText { get; }

    /// <summary>Whether the value is missing (JSON null, an empty CSV field or a record without the key).</summary>
    public bool IsMissing => IsText ? Text is null : Json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public static Cell FromJson(JsonElement json) => new(json, null, false);

    public static Cell FromText(string? text) => new(default, string.IsNullOrEmpty(text) ? null : text, true);

    /// <summary>The value as the client wrote it, for error messages (cut short).</summary>
    public override string ToString() => IsText ? Text ?? string.Empty : Json.ValueKind == JsonValueKind.Undefined ? "null" : Excerpt.Short(Json.GetRawText());
}
