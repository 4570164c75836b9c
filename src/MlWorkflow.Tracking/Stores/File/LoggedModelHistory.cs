using System.Text;
using System.Text.Json;
using MlWorkflow.Tracking.Serialization;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// The run tag <c>mlflow.log-model.history</c>: a JSON array of logged models, each reduced to <c>run_id</c>,
/// <c>artifact_path</c>, <c>utc_time_created</c>, <c>model_uuid</c> and <c>flavors</c> (without each flavor's
/// <c>config</c>), written as Python's <c>json.dumps</c> does (<c>", "</c> and <c>": "</c>, non-ASCII as <c>\uXXXX</c>).
/// </summary>
internal static class LoggedModelHistory
{
    private static readonly string[] RequiredFields = ["artifact_path", "flavors", "run_id", "utc_time_created"];
    private static readonly string[] KeptFields = ["run_id", "artifact_path", "utc_time_created", "model_uuid", "flavors"];

    /// <summary>Reduces an MLmodel JSON object to its history entry, in Python's JSON form.</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when it is not a JSON object with the mandatory fields.</exception>
    public static string ReduceModel(string modelJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(modelJson);
        }
        catch (JsonException error)
        {
            throw new MlflowException(ErrorCode.InvalidParameterValue, $"Model json is not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw MlflowException.InvalidParameter("Model json must be a JSON object.");
            }

            var missing = RequiredFields.Where(f => !root.TryGetProperty(f, out _)).ToList();
            if (missing.Count > 0)
            {
                throw MlflowException.InvalidParameter($"Model json is missing mandatory fields: {{{string.Join(", ", missing.Select(m => $"'{m}'"))}}}");
            }

            var builder = new StringBuilder();
            builder.Append('{');
            var first = true;
            foreach (var field in KeptFields)
            {
                if (!root.TryGetProperty(field, out var value))
                {
                    continue;
                }

                if (!first)
                {
                    builder.Append(", ");
                }

                first = false;
                WriteString(builder, field);
                builder.Append(": ");
                if (field == "flavors" && value.ValueKind == JsonValueKind.Object)
                {
                    WriteFlavors(builder, value);
                }
                else
                {
                    WriteValue(builder, value);
                }
            }

            return builder.Append('}').ToString();
        }
    }

    /// <summary>Appends an entry to the existing tag value (a JSON array; missing or unreadable starts a new one).</summary>
    public static string Append(string? existing, string entry)
    {
        var items = new List<string>();
        if (!string.IsNullOrWhiteSpace(existing))
        {
            try
            {
                using var document = JsonDocument.Parse(existing);
                if (document.RootElement.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in document.RootElement.EnumerateArray())
                    {
                        var builder = new StringBuilder();
                        WriteValue(builder, item);
                        items.Add(builder.ToString());
                    }
                }
            }
            catch (JsonException)
            {
                // A damaged history is replaced rather than blocking model logging.
            }
        }

        items.Add(entry);
        return "[" + string.Join(", ", items) + "]";
    }

    private static void WriteFlavors(StringBuilder builder, JsonElement flavors)
    {
        builder.Append('{');
        var first = true;
        foreach (var flavor in flavors.EnumerateObject())
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            WriteString(builder, flavor.Name);
            builder.Append(": ");
            if (flavor.Value.ValueKind == JsonValueKind.Object)
            {
                builder.Append('{');
                var innerFirst = true;
                foreach (var property in flavor.Value.EnumerateObject().Where(p => p.Name != "config"))
                {
                    if (!innerFirst)
                    {
                        builder.Append(", ");
                    }

                    innerFirst = false;
                    WriteString(builder, property.Name);
                    builder.Append(": ");
                    WriteValue(builder, property.Value);
                }

                builder.Append('}');
            }
            else
            {
                WriteValue(builder, flavor.Value);
            }
        }

        builder.Append('}');
    }

    /// <summary>Writes any JSON value as Python's <c>json.dumps</c> would.</summary>
    public static void WriteValue(StringBuilder builder, JsonElement value) => PythonJson.AppendElement(builder, value);

    private static void WriteString(StringBuilder builder, string text) => PythonJson.AppendString(builder, text);
}
