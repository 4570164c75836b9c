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

    /// <summary>Every file under a folder, recursively, as (key with <c>/</c>, path); temp files are skipped.</summary>
    public static IEnumerable<(string Key, string Path)> Enumerate(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var prefix = Path.TrimEndingDirectorySeparator(folder).Length + 1;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            if (Path.GetFileName(file.AsSpan()).StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = file[prefix..];
            if (Path.DirectorySeparatorChar != '/')
            {
                key = key.Replace(Path.DirectorySeparatorChar, '/');
            }

            yield return (key, file);
        }
    }

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

    /// <summary>Writes a key's file whole, via a temp file in <paramref name="tempDirectory"/>.</summary>
    public static void Write(string folder, string key, string value, string tempDirectory)
    {
        var path = PathOf(folder, key);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (IOException error)
        {
            throw MlflowException.InvalidParameter($"Key '{key}' cannot be stored: a part of it is already used as a key of its own ({error.Message}).");
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
