using System.Text.RegularExpressions;

namespace MlWorkflow.Tracking;

/// <summary>Resolves the tracking URI as MLflow does: the value given, else <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>.</summary>
public static partial class TrackingUri
{
    /// <summary>The environment variable that names the tracking URI.</summary>
    public const string EnvironmentVariable = "MLFLOW_TRACKING_URI";

    private const string ExpectedForms = "Expected http://host:port, https://host[:port][/path], a file: URI (file:///absolute/path), a local folder path (such as ./mlruns), sqlite:///path/to/mlflow.db or postgresql://user:password@host:port/database.";
    private const int MaxQuoted = 200;

    /// <summary>Resolves the tracking URI to use.</summary>
    /// <param name="trackingUri">A URI given in code; null or empty to use the environment or the default.</param>
    /// <returns>An <c>http(s)://</c> URI, a database URI (<c>sqlite:</c>, <c>postgresql:</c>) as given, or the <c>file:</c> URI of a local store folder (absolute).</returns>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for a malformed URI that would otherwise be taken as a folder name, such as
    /// <c>http//host:5000</c> or <c>http:/host</c>; <see cref="ErrorCode.NotImplemented"/> for a scheme this client cannot use.
    /// </exception>
    public static string Resolve(string? trackingUri = null)
    {
        var fromEnvironment = string.IsNullOrWhiteSpace(trackingUri);
        var uri = !fromEnvironment ? trackingUri!.Trim()
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value.Trim()
            : "mlruns";
        Validate(uri, fromEnvironment ? EnvironmentVariable : "Tracking URI");
        return IsRemote(uri) ? uri.TrimEnd('/')
            : Stores.Sql.SqlTrackingStore.IsDatabaseUri(uri) ? uri
            : Artifacts.FileUris.FromPath(Artifacts.FileUris.ToPath(uri));
    }

    /// <summary>Whether a tracking URI names a remote MLflow server (<c>http://</c>, <c>https://</c>).</summary>
    /// <param name="trackingUri">The URI.</param>
    /// <returns>True for HTTP(S) URIs.</returns>
    public static bool IsRemote(string trackingUri) =>
        trackingUri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || trackingUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static void Validate(string uri, string source)
    {
        var shown = SecretRedactor.RedactUri(uri.Length > MaxQuoted ? uri[..MaxQuoted] + "…" : uri);
        if (IsRemote(uri))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
            {
                throw MlflowException.InvalidParameter($"{source} '{shown}' is not a valid http(s) URI: the host is missing or malformed. {ExpectedForms}");
            }

            return;
        }

        if (Stores.Sql.SqlTrackingStore.IsDatabaseUri(uri))
        {
            return;
        }

        // A scheme-like prefix with a missing or extra character would silently become a folder name: refuse it.
        if (MistypedHttp().IsMatch(uri))
        {
            throw MlflowException.InvalidParameter($"{source} '{shown}' looks like a mistyped http(s) URI (the scheme must be followed by '://'). {ExpectedForms}");
        }

        if (OtherScheme().Match(uri) is { Success: true } other && !other.Groups["scheme"].Value.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            throw new MlflowException(ErrorCode.NotImplemented, $"{source} '{shown}': the scheme '{other.Groups["scheme"].Value}:' is not supported by this client. {ExpectedForms}");
        }
    }

    // http//…, https//…, http:/…, http:…, http;//… (a folder named http/ stays a folder).
    [GeneratedRegex(@"^https?(?://|:(?!//)|;)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MistypedHttp();

    // Any other scheme://, but not a Windows drive letter (C:\ or C:/).
    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://", RegexOptions.CultureInvariant)]
    private static partial Regex OtherScheme();
}
