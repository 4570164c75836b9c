using System.IO.Enumeration;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// The one-file-per-key folders of MLflow's file stores (params, tags, metrics, aliases): a key <c>a/b</c> is the file
/// <c>folder/a/b</c>. Shared by the tracking and registry file stores; every path is checked to stay inside its folder.
/// </summary>
internal static class KeyFiles
{
    private const string TempPrefix = ".tmp-";

    /// <summary>The file of a key (<c>a/b</c> → <c>folder/a/b</c>), checked to stay inside the folder; the key must be validated already.</summary>
    public static string PathOf(string folder, string key)
    {
        var path = Path.GetFullPath(Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar)));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return path.StartsWith(root, StringComparison.Ordinal)
            ? path
            : throw MlflowException.InvalidParameter($"Key '{key}' would escape its folder.");
    }

    /// <summary>
    /// Every file under a folder, recursively, as (key with <c>/</c>, path); temp files are skipped, and so are links
    /// (files or folders) and everything under a folder that is itself a link: a link planted in a store never leads
    /// a read out of it.
    /// </summary>
    public static IEnumerable<(string Key, string Path)> Enumerate(string folder)
    {
        if (!Directory.Exists(folder) || IsLink(folder))
        {
            return [];
        }

        var prefix = Path.TrimEndingDirectorySeparator(folder).Length + 1;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return new FileSystemEnumerable<(string Key, string Path)>(
            folder,
            (ref FileSystemEntry entry) =>
            {
                var path = entry.ToFullPath();
                var key = path[prefix..];
                return (Path.DirectorySeparatorChar == '/' ? key : key.Replace(Path.DirectorySeparatorChar, '/'), path);
            },
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory
                && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                && !entry.FileName.StartsWith(TempPrefix, StringComparison.Ordinal),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
    }

    /// <summary>Whether a path is a symbolic link (or junction), dangling or not; false when nothing is there.</summary>
    public static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The longest file name (one key part) in bytes on the file systems the store runs on.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest path in bytes (Linux's <c>PATH_MAX</c> less the terminating NUL).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>
    /// Checks, before anything is written, that a validated key can be stored as a file under <paramref name="folder"/>
    /// and returns its path: every part at most 255 bytes in UTF-8, the whole path within the system's limit, no part
    /// of the way a link, no part an existing key file, the key not a folder of other keys.
    /// </summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> saying which rule the key breaks.</exception>
    public static string CheckWritable(string folder, string key, string kind)
    {
        var path = PathOf(folder, key);
        CheckNameBytes(key, kind);

        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored in the file store: the file's path would be longer than {MaxPathBytes} bytes. Use a shorter key.");
        }

        if (IsLink(folder))
        {
            throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored: the run's '{Path.GetFileName(folder)}' folder is a link, which the store does not follow.");
        }

        var current = Path.TrimEndingDirectorySeparator(folder);
        var parts = key.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            var shown = string.Join('/', parts, 0, i + 1);
            if (IsLink(current))
            {
                throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored: '{Excerpt(shown)}' is a link in the store, which the store does not follow. Remove the link.");
            }

            if (i < parts.Length - 1 && System.IO.File.Exists(current))
            {
                throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored: '{Excerpt(shown)}' is already a key of its own, and the file store keeps 'a/b' as a file under a folder 'a'.");
            }

            if (i == parts.Length - 1 && Directory.Exists(current))
            {
                throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored: it is already a prefix of other keys ('{Excerpt(key)}/…'), and the file store keeps those as a folder.");
            }
        }

        return path;
    }

    /// <summary>Checks that every part of a key fits a file name (at most 255 bytes in UTF-8).</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> naming the part and its size.</exception>
    public static void CheckNameBytes(string key, string kind)
    {
        foreach (var part in key.Split('/'))
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(part);
            if (bytes > MaxNameBytes)
            {
                throw MlflowException.InvalidParameter($"{kind} key '{Excerpt(key)}' cannot be stored in the file store: its part '{Excerpt(part)}' is {bytes} bytes in UTF-8, and a file name holds at most {MaxNameBytes}. Use a shorter key (non-ASCII characters take 2 to 4 bytes each).");
            }
        }
    }

    /// <summary>Checks that no key of a batch is a prefix folder of another (<c>a</c> and <c>a/b</c> cannot both be files).</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> naming the two keys.</exception>
    public static void CheckNoPrefixConflicts(IEnumerable<string> keys, string kind)
    {
        var set = new HashSet<string>(keys, StringComparer.Ordinal);
        foreach (var key in set)
        {
            for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
            {
                if (set.Contains(key[..slash]))
                {
                    throw MlflowException.InvalidParameter($"{kind} keys '{Excerpt(key[..slash])}' and '{Excerpt(key)}' cannot both be stored in the file store: it keeps 'a/b' as a file under a folder 'a'.");
                }
            }
        }
    }

    /// <summary>At most 200 characters of a user's text, for error messages.</summary>
    public static string Excerpt(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    /// <summary>Every key and value under a folder, ordered by key; files that vanish while read are skipped.</summary>
    public static IReadOnlyList<(string Key, string Value)> ReadAll(string folder)
    {
        var result = new List<(string Key, string Value)>();
        foreach (var (key, path) in Enumerate(folder))
        {
            if (StoreFiles.TryReadText(path) is { } value)
            {
                result.Add((key, value));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>Writes a key's file whole, via a temp file in <paramref name="tempDirectory"/>; <paramref name="kind"/> names the key in errors.</summary>
    public static void Write(string folder, string key, string value, string tempDirectory, string kind = "Tag") =>
        WriteChecked(CheckWritable(folder, key, kind), key, value, tempDirectory);

    /// <summary>Writes a key's file whole at <paramref name="path"/>, which <see cref="CheckWritable"/> already returned for it.</summary>
    public static void WriteChecked(string path, string key, string value, string tempDirectory)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException)
        {
            throw MlflowException.InvalidParameter($"Key '{Excerpt(key)}' cannot be stored: a part of it is already used as a key of its own.");
        }

        if (Directory.Exists(path))
        {
            throw MlflowException.InvalidParameter($"Key '{key}' cannot be stored: it is already a prefix of other keys ('{key}/…').");
        }

        StoreFiles.ReplaceAtomically(path, value, tempDirectory);
    }

    /// <summary>Deletes a key's file; returns whether it existed.</summary>
    public static bool Delete(string folder, string key)
    {
        var path = PathOf(folder, key);
        if (!System.IO.File.Exists(path))
        {
            return false;
        }

        System.IO.File.Delete(path);
        return true;
    }
}
