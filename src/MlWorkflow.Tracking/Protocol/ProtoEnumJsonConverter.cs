using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

/// <summary>Reads a protobuf enum given by name (<c>"RUNNING"</c>) or by number (<c>1</c>) as text; writes the text.</summary>
internal sealed class ProtoEnumJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : throw new JsonException("An enum number must be an integer."),
        _ => throw new JsonException($"Expected an enum name or number, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
