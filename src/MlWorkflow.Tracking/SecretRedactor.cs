using System.Text.RegularExpressions;

namespace MlWorkflow.Tracking;

/// <summary>
/// Removes credentials from text that leaves the library (exception messages, log lines, stderr): passwords in URIs,
/// <c>Bearer</c>/<c>Basic</c> credentials, the values of reflected <c>Authorization</c>-like headers, and known secrets.
/// The patterns run without backtracking, so the cost stays linear whatever text a server sends back.
/// </summary>
internal static partial class SecretRedactor
{
    /// <summary>What replaces a secret, as MLflow shows a redacted password.</summary>
    public const string Mask = "***";

    // Shorter known secrets would mask ordinary words; the patterns still catch them in their usual places.
    private const int MinimumLiteralLength = 3;

    /// <summary>Redacts credentials found by their shape, then every occurrence of the given secrets.</summary>
    public static string Redact(string? text, IReadOnlyList<string>? secrets = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        if (secrets is not null)
        {
            foreach (var secret in secrets)
            {
                if (secret.Length >= MinimumLiteralLength)
                {
                    text = text.Replace(secret, Mask, StringComparison.Ordinal);
                }
            }
        }

        text = HeaderValue().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        text = SchemeCredentials().Replace(text, m => IsCredential(m) ? m.Groups["scheme"].Value + " " + Mask : m.Value);
        return UriPassword().Replace(text, m => m.Groups["prefix"].Value + Mask + "@");
    }

    /// <summary>A URI with its password (if any) replaced by <c>***</c>; the user name stays, as MLflow shows it.</summary>
    /// <remarks>A URI without '@' has no user info to redact: it is returned without building the pattern, which costs a new process tens of milliseconds.</remarks>
    public static string RedactUri(string uri) =>
        uri.Contains('@', StringComparison.Ordinal) ? UriPassword().Replace(uri, m => m.Groups["prefix"].Value + Mask + "@") : uri;

    // "Basic" is also an English word: only a base64 "user:password" after it is a credential.
    private static bool IsCredential(Match match)
    {
        if (!match.Groups["scheme"].Value.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var value = match.Groups["value"].Value;
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var length) && Array.IndexOf(bytes, (byte)':', 0, length) >= 0;
    }

    [GeneratedRegex(@"(?<name>\b(?:proxy-)?authorization|\bx-api-key|\bcookie|\bset-cookie|\bx-databricks-token)(?<sep>[""']?\s*[:=]\s*[""']?)(?<value>[^""'\r\n]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex HeaderValue();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+(?<value>[A-Za-z0-9._~+/=\-]{3,})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SchemeCredentials();

    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@""']*:)[^/\s@""']*@", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex UriPassword();
}
