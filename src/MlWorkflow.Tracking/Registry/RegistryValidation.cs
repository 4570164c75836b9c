using System.Globalization;
using System.Text.RegularExpressions;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Registry;

/// <summary>
/// MLflow's registry rules (https://mlflow.org/docs/latest/model-registry.html): model names, aliases, tags and version numbers. Every failure is
/// an <see cref="ErrorCode.InvalidParameterValue"/> that says what was wrong. Model names become folder names in the
/// file store, so the rules here are also what keeps a name inside <c>models/</c>.
/// </summary>
internal static partial class RegistryValidation
{
    /// <summary>The longest registry tag value (MLflow 2.x).</summary>
    public const int MaxTagValueLength = 5000;

    /// <summary>The longest alias.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>The longest model name we accept: a folder name must fit the file system (255 bytes on most).</summary>
    public const int MaxModelNameLength = 200;

    /// <summary>
    /// A registered model name: non-empty; no <c>/</c> or <c>\</c> (path separators on some OS), no <c>%</c> (MLflow's rule),
    /// no control character (NUL…), not <c>.</c> or <c>..</c>, and no leading or trailing space or trailing dot (which
    /// Windows silently drops from folder names).
    /// </summary>
    public static void ValidateModelName(string? name, string what = "Registered model name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid($"{what} must be a non-empty string.");
        }

        if (name.IndexOfAny(['/', '\\', '%']) >= 0)
        {
            throw Invalid($"Invalid {Lower(what)} '{TrackingValidation.Printable(name)}': it must not contain a path separator ('/' or '\\') or '%'.");
        }

        if (name.Any(char.IsControl))
        {
            throw Invalid($"Invalid {Lower(what)} '{TrackingValidation.Printable(name)}': it must not contain control characters such as NUL or line breaks.");
        }

        if (name is "." or "..")
        {
            throw Invalid($"Invalid {Lower(what)} '{name}': '.' and '..' name folders, not models.");
        }

        if (name[0] == ' ' || name[^1] is ' ' or '.')
        {
            throw Invalid($"Invalid {Lower(what)} '{name}': it must not start with a space nor end with a space or a dot.");
        }

        if (name.Length > MaxModelNameLength)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{what} exceeds the maximum length of {MaxModelNameLength} characters (got {name.Length})."));
        }
    }

    /// <summary>An alias: non-empty, letters, digits, <c>_</c> and <c>-</c>, at most 255 characters, not <c>latest</c> (any case) nor <c>v&lt;digits&gt;</c>.</summary>
    public static void ValidateAlias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw Invalid("Registered model alias name must be a non-empty string.");
        }

        if (!AliasPattern().IsMatch(alias))
        {
            throw Invalid($"Invalid alias name: '{TrackingValidation.Printable(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        if (alias.Length > MaxAliasLength)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Registered model alias name exceeds the maximum length of {MaxAliasLength} characters (got {alias.Length})."));
        }

        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("'latest' alias name (case insensitive) is reserved: models:/<name>/latest means the highest version.");
        }

        if (VersionAliasPattern().IsMatch(alias))
        {
            throw Invalid($"Version alias name '{alias}' is reserved: it would read as a version number.");
        }
    }

    /// <summary>A registry tag: a path-safe key (<see cref="TrackingValidation.ValidateKey"/>) and a non-null value of at most 5000 characters.</summary>
    public static void ValidateTag(string? key, string? value, string what)
    {
        TrackingValidation.ValidateKey(key, what);
        TrackingValidation.ValidateValue(value, what, key!, MaxTagValueLength);
    }

    /// <summary>A new version's fields besides the model name: a source without NUL, a valid run id when given, valid tags.</summary>
    public static void ValidateNewVersion(CreateModelVersionRequest request)
    {
        if (string.IsNullOrEmpty(request.Source))
        {
            throw MlflowException.InvalidParameter("Missing value for required parameter 'source': the artifact URI of the model.");
        }

        if (request.Source.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("The model version source must not contain a NUL character.");
        }

        if (request.RunId is not null)
        {
            TrackingValidation.ValidateRunId(request.RunId);
        }

        foreach (var tag in request.Tags)
        {
            ArgumentNullException.ThrowIfNull(tag, nameof(request));
            ValidateTag(tag.Key, tag.Value, "Model version tag");
        }
    }

    /// <summary>A version number given by a caller: 1 or more.</summary>
    public static void ValidateVersion(int version)
    {
        if (version < 1)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Model version must be a positive integer, got {version}."));
        }
    }

    /// <summary>A version number written as text (a REST field, a URI part): an integer of 1 or more.</summary>
    public static int ParseVersion(string? text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var version))
        {
            throw Invalid($"Model version must be an integer, got '{TrackingValidation.Printable(text ?? "null")}'.");
        }

        ValidateVersion(version);
        return version;
    }

    private static string Lower(string what) => char.ToLowerInvariant(what[0]) + what[1..];

    private static MlflowException Invalid(string message) => MlflowException.InvalidParameter(message);

    [GeneratedRegex(@"^[\w\-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^[vV]\d+\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionAliasPattern();
}
