using System.Text.Json;

namespace MlWorkflow.Serving.Protocol;

/// <summary>A parsed <c>/invocations</c> body: the input as a table and the <c>params</c> object; disposing frees the JSON it points into.</summary>
internal sealed class ScoringRequest : IDisposable
{
    private readonly JsonDocument? _document;

    public ScoringRequest(InputTable table, JsonElement? parameters, JsonDocument? document)
    {
        Table = table;
        Parameters = parameters;
        _document = document;
    }

    public InputTable Table { get; }

    /// <summary>The <c>params</c> object, or null when the request had none.</summary>
    public JsonElement? Parameters { get; }

    public void Dispose() => _document?.Dispose();
}
