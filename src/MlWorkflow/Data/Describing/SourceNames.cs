namespace MlWorkflow.Data.Describing;

/// <summary>Short dataset names from paths.</summary>
internal static class SourceNames
{
    /// <summary>The file name without extension, the folder name, or for a glob the last folder before the wildcard.</summary>
    public static string FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var wildcard = path.IndexOfAny(['*', '?']);
        var trimmed = (wildcard >= 0 ? path[..wildcard] : path).TrimEnd('/', '\\');
        if (wildcard >= 0)
        {
            var cut = trimmed.LastIndexOfAny(['/', '\\']);
            trimmed = cut >= 0 ? trimmed[..cut] : trimmed;
        }

        var name = Path.GetFileName(trimmed);
        if (!Directory.Exists(trimmed))
        {
            name = Path.GetFileNameWithoutExtension(name);
            if (name.EndsWith(".snappy", StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^".snappy".Length];
            }
        }

        return string.IsNullOrEmpty(name) ? "dataset" : name;
    }
}
