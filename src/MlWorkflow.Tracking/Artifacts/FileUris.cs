using System.Text;

namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Converts between local paths and <c>file:</c> URIs as MLflow writes them (Python's <c>Path.as_uri()</c>).</summary>
public static class FileUris
{
    /// <summary>
    /// The <c>file:</c> URI of an absolute path: <c>file:///abs/path</c> (<c>file:///C:/dir</c> on Windows), every byte
    /// outside <c>A-Z a-z 0-9 _ . - ~ /</c> percent-encoded (spaces become <c>%20</c>).
    /// </summary>
    public static string FromPath(string path)
    {
        var full = Path.GetFullPath(path).Replace('\\', '/');
        if (full.Length > 1 && full.EndsWith('/'))
        {
            full = full.TrimEnd('/');
        }

        var builder = new StringBuilder("file://", full.Length + 16);
        var start = 0;
        if (full.Length >= 2 && char.IsAsciiLetter(full[0]) && full[1] == ':')
        {
            builder.Append('/').Append(full, 0, 2);
            start = 2;
        }

        foreach (var b in Encoding.UTF8.GetBytes(full[start..]))
        {
            var ch = (char)b;
            if (char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '-' or '~' or '/')
            {
                builder.Append(ch);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The local path a <c>file:</c> URI or plain path names (<c>file:///abs</c>, <c>file:/abs</c>,
    /// <c>file://localhost/abs</c>, <c>file:relative</c>, or a path), percent-decoded and made absolute.
    /// </summary>
    /// <exception cref="MlflowException">The URI has another scheme or a remote host.</exception>
    public static string ToPath(string uriOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(uriOrPath);
        if (!uriOrPath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (HasScheme(uriOrPath))
            {
                throw MlflowException.InvalidParameter($"'{uriOrPath}' is not a file: URI or a local path.");
            }

            return Path.GetFullPath(uriOrPath);
        }

        var rest = uriOrPath[5..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            var host = slash < 0 ? rest[2..] : rest[2..slash];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw MlflowException.InvalidParameter($"File URI '{uriOrPath}' names the remote host '{host}'; a file store must be local.");
            }

            rest = slash < 0 ? "/" : rest[slash..];
        }

        var decoded = Uri.UnescapeDataString(rest);
        if (decoded.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"File URI '{uriOrPath}' contains a NUL character.");
        }

        // file:///C:/dir → C:/dir on Windows.
        if (decoded.Length >= 3 && decoded[0] == '/' && char.IsAsciiLetter(decoded[1]) && decoded[2] == ':')
        {
            decoded = decoded[1..];
        }

        return Path.GetFullPath(decoded);
    }

    /// <summary>Whether the text starts with a URI scheme (<c>s3:</c>, <c>http:</c>; not a Windows drive letter).</summary>
    public static bool HasScheme(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2)
        {
            return false;
        }

        for (var i = 0; i < colon; i++)
        {
            var ch = text[i];
            if (!(char.IsAsciiLetterOrDigit(ch) || (i > 0 && ch is '+' or '-' or '.')))
            {
                return false;
            }
        }

        return char.IsAsciiLetter(text[0]);
    }

    /// <summary>Appends a path segment to a URI with one <c>/</c>.</summary>
    internal static string Append(string uri, string segment) =>
        uri.EndsWith('/') ? uri + segment : uri + "/" + segment;
}
