namespace MlWorkflow.Tracking;

/// <summary>A dataset as MLflow records it for run inputs.</summary>
/// <param name="Name">The dataset name (at most 500 characters).</param>
/// <param name="Digest">A short content digest, stable for the same content (at most 36 characters).</param>
/// <param name="SourceType">Where the data lives: <c>local</c>, <c>http</c>, <c>s3</c>, <c>delta_table</c>, …</param>
/// <param name="Source">JSON text describing the source, such as <c>{"uri": "/data/x.csv"}</c>.</param>
/// <param name="Schema">Optional JSON schema text, such as <c>{"mlflow_colspec": [...]}</c>.</param>
/// <param name="Profile">Optional JSON profile text, such as <c>{"num_rows": 150}</c>.</param>
public sealed record Dataset(
    string Name,
    string Digest,
    string SourceType,
    string Source,
    string? Schema = null,
    string? Profile = null);
