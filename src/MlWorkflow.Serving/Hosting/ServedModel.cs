using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Hosting;

/// <summary>The model answering requests and where it came from: the URI asked for and, for a registry URI, the version it resolved to.</summary>
internal sealed record ServedModel(ScoringModel Scoring, string ModelUri, string? RegisteredModelName, int? Version, string? RunId)
{
    /// <summary>The version as text for logs, <c>-</c> when the model is not from the registry.</summary>
    public string VersionText { get; } = Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
