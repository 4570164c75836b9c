namespace MlWorkflow.Execution;

/// <summary>The run-owned temporary folders under <see cref="WorkflowOptions.TemporaryFolder"/>: created per run, deleted with the result, evicted when left over.</summary>
internal static class TemporaryFolders
{
    public const string PlotsPrefix = "plots-";

    public static string NewPlotsFolder(string root) => Path.Combine(Path.GetFullPath(root), PlotsPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>Deletes <c>plots-*</c> folders under <paramref name="root"/> last written more than <paramref name="lifetime"/> ago.</summary>
    public static void Evict(string root, TimeSpan lifetime, DateTimeOffset now)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(root, PlotsPrefix + "*"))
        {
            if (now - Directory.GetLastWriteTimeUtc(folder) > lifetime)
            {
                Delete(folder);
            }
        }
    }

    public static void Delete(string? folder)
    {
        try
        {
            if (folder is not null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Another process holds a file open or removed it first; eviction retries on a later run.
        }
    }
}
