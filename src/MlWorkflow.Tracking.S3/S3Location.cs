using System.Net;

namespace MlWorkflow.Tracking.S3;

/// <summary>An <c>s3://bucket/prefix</c> root, and the object keys of artifact paths under it (never outside it).</summary>
internal sealed class S3Location
{
    private const string Scheme = "s3://";

    private S3Location(string bucket, string prefix)
    {
        Bucket = bucket;
        Prefix = prefix;
    }

    /// <summary>The bucket name.</summary>
    public string Bucket { get; }

    /// <summary>The key prefix of the root, without leading or trailing <c>/</c>; empty for the bucket's top.</summary>
    public string Prefix { get; }

    /// <summary>Parses <c>s3://bucket/prefix</c>; the prefix is checked as an artifact path (no <c>..</c>, decoded or not).</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for anything else.</exception>
    public static S3Location Parse(string rootUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootUri);
        if (!rootUri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw MlflowException.InvalidParameter($"'{Excerpt(rootUri)}' is not an S3 URI: give s3://<bucket>/<prefix>.");
        }

        var rest = rootUri[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length is < 3 or > 63 || bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_')))
        {
            throw MlflowException.InvalidParameter($"'{Excerpt(rootUri)}' has no valid bucket name: a bucket is 3 to 63 lower-case letters, digits, '.', '-' (s3://<bucket>/<prefix>).");
        }

        // A leading '/' of the path is dropped, as MLflow does; the rest must be a safe relative path.
        var prefix = slash < 0 ? string.Empty : CheckedPath(rest[(slash + 1)..].TrimStart('/'), "S3 key prefix");
        return new S3Location(bucket, prefix);
    }

    /// <summary>The key of an artifact path under the root.</summary>
    public string KeyOf(string relative) => Prefix.Length == 0 ? relative : relative.Length == 0 ? Prefix : Prefix + "/" + relative;

    /// <summary>The listing prefix of a folder under the root: <c>&lt;key&gt;/</c>, or empty for the top of the bucket.</summary>
    public string FolderPrefixOf(string relative)
    {
        var key = KeyOf(relative);
        return key.Length == 0 ? string.Empty : key + "/";
    }

    /// <summary>The artifact path (relative to the root) of an object key under the root.</summary>
    /// <exception cref="MlflowException">The key is not under the root, or is not a safe relative path.</exception>
    public string RelativeOf(string key)
    {
        var rootPrefix = Prefix.Length == 0 ? string.Empty : Prefix + "/";
        if (!key.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            throw new MlflowException(ErrorCode.InternalError, $"The S3 object '{Excerpt(key)}' is not under the artifact root 's3://{Bucket}/{Excerpt(Prefix)}'.");
        }

        return CheckedPath(key[rootPrefix.Length..], "S3 object key");
    }

    /// <summary>
    /// Normalises a relative artifact path and refuses any that could leave the root: <c>..</c>, absolute paths and
    /// backslashes, also once percent-decoded (so <c>%2e%2e</c> is refused as <c>..</c> would be).
    /// </summary>
    public static string CheckedPath(string? path, string what = "artifact path")
    {
        var normalized = Artifacts.ArtifactPath.Normalize(path, what);
        var decoded = normalized;
        for (var round = 0; round < 4 && decoded.Contains('%', StringComparison.Ordinal); round++)
        {
            var next = WebUtility.UrlDecode(decoded.Replace("+", "%2B", StringComparison.Ordinal));
            if (next == decoded)
            {
                break;
            }

            decoded = next;
            try
            {
                Artifacts.ArtifactPath.Normalize(decoded.Replace('\\', '/'), what);
            }
            catch (MlflowException)
            {
                throw MlflowException.InvalidParameter($"Invalid {what} '{Excerpt(path!)}': once percent-decoded it is '{Excerpt(decoded)}', which would leave the artifact root.");
            }
        }

        return normalized;
    }

    public override string ToString() => Prefix.Length == 0 ? Scheme + Bucket : Scheme + Bucket + "/" + Prefix;

    internal static string Excerpt(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
