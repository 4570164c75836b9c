using System.Reflection;
using System.Text.Json;

namespace MlWorkflow.Tracking;

/// <summary>The system tags MLflow's client sets on a new run: user, source name and type, git commit, and <c>MLFLOW_RUN_CONTEXT</c>.</summary>
internal static class RunContextTags
{
    public const string RunName = "mlflow.runName";
    public const string User = "mlflow.user";
    public const string SourceName = "mlflow.source.name";
    public const string SourceType = "mlflow.source.type";
    public const string GitCommit = "mlflow.source.git.commit";
    public const string ParentRunId = "mlflow.parentRunId";
    public const string NoteContent = "mlflow.note.content";

    /// <summary>Collects the context tags of this process.</summary>
    public static Dictionary<string, string> Collect()
    {
        var source = SourcePath();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [User] = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_USERNAME") is { Length: > 0 } user ? user : Environment.UserName,
            [SourceName] = source ?? "<console>",
            [SourceType] = "LOCAL",
        };

        if (source is not null && GitRepository.FindCommit(Path.GetDirectoryName(source)!) is { } commit)
        {
            tags[GitCommit] = commit;
        }

        if (Environment.GetEnvironmentVariable("MLFLOW_RUN_CONTEXT") is { Length: > 0 } context)
        {
            foreach (var (key, value) in ParseRunContext(context))
            {
                tags[key] = value;
            }
        }

        return tags;
    }

    private static string? SourcePath()
    {
        var entry = Assembly.GetEntryAssembly();
        if (entry is not null && !string.IsNullOrEmpty(entry.Location))
        {
            return entry.Location;
        }

        return Environment.ProcessPath;
    }

    private static KeyValuePair<string, string>[] ParseRunContext(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw MlflowException.InvalidParameter($"MLFLOW_RUN_CONTEXT must be a JSON object of tags: {error.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw MlflowException.InvalidParameter("MLFLOW_RUN_CONTEXT must be a JSON object of tags.");
            }

            return document.RootElement.EnumerateObject()
                .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
                .ToArray();
        }
    }
}
