using System.Text;

namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Checks and normalises relative artifact paths so that no user string can leave its root.</summary>
public static class ArtifactPath
{
    /// <summary>
    /// Normalises a relative artifact path to <c>a/b/c</c> form (empty for the root), refusing anything that could
    /// leave the root: <c>..</c> segments, absolute paths, drive letters, backslashes, NUL and other control characters.
    /// </summary>
    /// <param name="path">The path a user passed; null or empty for the root.</param>
    /// <param name="what">What the path names, for the error message (such as <c>artifact path</c>).</param>
    /// <returns>The normalised path.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the path is unsafe.</exception>
    public static string Normalize(string? path, string what = "artifact path")
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        foreach (var c in path)
        {
            if (c == '\0' || char.IsControl(c))
            {
                throw Invalid(path, what, "it contains a NUL or control character");
            }
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw Invalid(path, what, "it contains a backslash; use '/' to separate folders");
        }

        if (path[0] == '/' || path[0] == '~')
        {
            throw Invalid(path, what, "it is absolute; give a path relative to the artifact root");
        }

        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            throw Invalid(path, what, "it starts with a drive letter; give a path relative to the artifact root");
        }

        var builder = new StringBuilder(path.Length);
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw Invalid(path, what, "it has a '..' segment, which would leave the artifact root");
            }

            if (builder.Length > 0)
            {
                builder.Append('/');
            }

            builder.Append(segment);
        }

        return builder.ToString();
    }

    /// <summary>Joins two relative artifact paths, normalising both.</summary>
    /// <param name="first">The first path; may be empty.</param>
    /// <param name="second">The second path; may be empty.</param>
    /// <returns>The joined, normalised path.</returns>
    public static string Combine(string? first, string? second)
    {
        var a = Normalize(first);
        var b = Normalize(second);
        return a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;
    }

    /// <summary>
    /// Resolves a relative path under a local root folder and checks that neither the path nor any existing link on
    /// the way leaves the root.
    /// </summary>
    /// <param name="rootDirectory">The absolute root folder.</param>
    /// <param name="relativePath">The path under the root (normalised or not).</param>
    /// <param name="what">What the path names, for the error message.</param>
    /// <returns>The absolute local path.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the path is unsafe.</exception>
    public static string ResolveUnderRoot(string rootDirectory, string? relativePath, string what = "artifact path")
    {
        var normalized = Normalize(relativePath, what);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        if (normalized.Length == 0)
        {
            return root;
        }

        var current = root;
        foreach (var segment in normalized.Split('/'))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsUnder(root, target.FullName))
                {
                    throw Invalid(relativePath!, what, "it goes through a link that points outside the artifact root");
                }
            }
        }

        return current;
    }

    private static bool IsUnder(string root, string fullPath)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static MlflowException Invalid(string path, string what, string why) =>
        MlflowException.InvalidParameter($"Invalid {what} '{Printable(path)}': {why}.");

    private static string Printable(string path) =>
        path.Replace("\0", "\\0", StringComparison.Ordinal);
}
