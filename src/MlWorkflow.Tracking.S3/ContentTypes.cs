namespace MlWorkflow.Tracking.S3;

/// <summary>The Content-Type an uploaded object gets from its name, as MLflow guesses it from the standard MIME table (the common artifact kinds).</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".log"] = "text/plain",
        [".csv"] = "text/csv",
        [".json"] = "application/json",
        [".yaml"] = "application/x-yaml",
        [".yml"] = "application/x-yaml",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".py"] = "text/x-python",
        [".md"] = "text/markdown",
    };

    /// <summary>The type, or null (the object is then stored as binary) for names the table does not know (<c>MLmodel</c>, <c>model.zip</c> is zip).</summary>
    public static string? Of(string path) => ByExtension.TryGetValue(Path.GetExtension(path), out var type) ? type : null;
}
