using System.Text;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A per-experiment list of the runs written through any MlWorkflow file store (any object, any process):
/// <c>&lt;experiment&gt;/.mlworkflow-changes</c>, one run id per line, appended after the run's files are written.
/// A searching store reads the lines added since its last search and drops those runs from its cache, so that a
/// warm search sees other writers' changes without stating every file. MLflow's readers ignore files in an
/// experiment folder. The file starts with a random header line; when it passes 4 MB it is renamed to
/// <c>.mlworkflow-changes.old</c> and a new one starts, which a reader notices by the changed first line.
/// </summary>
internal static class ChangeJournal
{
    /// <summary>The journal's file name in an experiment folder.</summary>
    public const string FileName = ".mlworkflow-changes";

    private const long RotateAtBytes = 4 * 1024 * 1024;

    /// <summary>Records that a run's files changed (call after writing them).</summary>
    public static void Record(string runDirectory)
    {
        var experimentDirectory = Path.GetDirectoryName(runDirectory)!;
        var path = Path.Combine(experimentDirectory, FileName);
        if (!System.IO.File.Exists(path))
        {
            StoreFiles.TryCreate(path, $"# {Guid.NewGuid():N}\n", experimentDirectory);
        }

        StoreFiles.Append(path, Encoding.UTF8.GetBytes(Path.GetFileName(runDirectory) + "\n"));
        if (new FileInfo(path).Length > RotateAtBytes)
        {
            try
            {
                System.IO.File.Move(path, path + ".old", overwrite: true);
            }
            catch (IOException)
            {
                // Another writer rotated it first.
            }
        }
    }

    /// <summary>
    /// Reads the run ids recorded since <paramref name="position"/> and moves it on. Returns false when the journal
    /// was replaced or shortened since (the caller must then check everything it cached).
    /// </summary>
    public static bool TryReadSince(string experimentDirectory, JournalPosition position, ICollection<string> changedRunIds)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(Path.Combine(experimentDirectory, FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            var unchanged = position.FirstLine is null;
            position.FirstLine = null;
            position.Offset = 0;
            return unchanged;
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            var head = new byte[(int)Math.Min(length, 128)];
            var headLength = RandomAccess.Read(handle, head, 0);
            var firstBreak = Array.IndexOf(head, (byte)'\n', 0, headLength);
            var firstLine = Encoding.UTF8.GetString(head, 0, firstBreak < 0 ? headLength : firstBreak);
            var continuous = position.FirstLine is null ? position.Offset == 0 : position.FirstLine == firstLine && length >= position.Offset;
            var start = continuous ? position.Offset : 0;
            var tail = new byte[Math.Max(0, length - start)];
            var tailLength = 0;
            while (tailLength < tail.Length)
            {
                var read = RandomAccess.Read(handle, tail.AsSpan(tailLength), start + tailLength);
                if (read == 0)
                {
                    break;
                }

                tailLength += read;
            }

            var end = tailLength > 0 ? Array.LastIndexOf(tail, (byte)'\n', tailLength - 1) + 1 : 0;
            if (tailLength > 0 && end > 0)
            {
                foreach (var line in Encoding.UTF8.GetString(tail, 0, end).Split('\n'))
                {
                    if (line.Length > 0 && line[0] != '#')
                    {
                        changedRunIds.Add(line);
                    }
                }
            }

            position.FirstLine = firstLine;
            position.Offset = start + (tailLength > 0 ? end : 0);
            return continuous;
        }
    }
}
