namespace MlWorkflow.Tracking.Stores.File;

/// <summary>What the search cache remembers of a file or folder to notice a change by any process: its last write time and length.</summary>
/// <param name="Ticks">The last write time in UTC ticks.</param>
/// <param name="Length">The length in bytes (0 for a folder); -1 when it does not exist.</param>
internal readonly record struct FileStamp(long Ticks, long Length)
{
    /// <summary>The stamp of something that does not exist.</summary>
    public static readonly FileStamp Missing = new(0, -1);

    /// <summary>Whether the file or folder does not exist.</summary>
    public bool IsMissing => Length < 0;

    /// <summary>Stamps a file (one stat call).</summary>
    public static FileStamp OfFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : Missing;
    }

    /// <summary>Stamps a folder (one stat call); adding, removing or renaming an entry changes it.</summary>
    public static FileStamp OfDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, 0) : Missing;
    }
}
