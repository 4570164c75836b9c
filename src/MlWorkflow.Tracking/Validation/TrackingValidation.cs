using System.Globalization;
using System.Text.RegularExpressions;

namespace MlWorkflow.Tracking.Validation;

/// <summary>
/// MLflow's validation rules and limits for tracking data (keys, values, names, ids, batches, datasets).
/// The file store calls these before touching the disk; the client calls them before queueing, so that
/// bad input fails where it is given. Every failure is an <see cref="MlflowException"/> with
/// <see cref="ErrorCode.InvalidParameterValue"/> and a message that says what was wrong.
/// </summary>
internal static partial class TrackingValidation
{
    /// <summary>The longest metric, param, run-tag or experiment-tag key.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The longest param value (MLflow 2.x).</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>The longest run tag value.</summary>
    public const int MaxTagValueLength = 8000;

    /// <summary>The longest experiment tag value.</summary>
    public const int MaxExperimentTagValueLength = 5000;

    /// <summary>The longest experiment name.</summary>
    public const int MaxExperimentNameLength = 500;

    /// <summary>The longest run name (MLflow's SQL column).</summary>
    public const int MaxRunNameLength = 250;

    /// <summary>The most metrics in one log-batch call.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>The most params in one log-batch call.</summary>
    public const int MaxParamsPerBatch = 100;

    /// <summary>The most tags in one log-batch call.</summary>
    public const int MaxTagsPerBatch = 100;

    /// <summary>The most entities (metrics + params + tags) in one log-batch call.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>The longest dataset name.</summary>
    public const int MaxDatasetNameLength = 500;

    /// <summary>The longest dataset digest.</summary>
    public const int MaxDatasetDigestLength = 36;

    /// <summary>The longest dataset source.</summary>
    public const int MaxDatasetSourceLength = 65535;

    /// <summary>The longest dataset schema.</summary>
    public const int MaxDatasetSchemaLength = 1048575;

    /// <summary>The longest dataset profile.</summary>
    public const int MaxDatasetProfileLength = 16777215;

    /// <summary>The longest input tag key.</summary>
    public const int MaxInputTagKeyLength = 255;

    /// <summary>The longest input tag value.</summary>
    public const int MaxInputTagValueLength = 500;

    /// <summary>Checks a run search's experiment ids and page size, as every store does before it reads anything.</summary>
    /// <param name="request">The search.</param>
    /// <exception cref="MlflowException">No experiment id, an invalid one, or a page size out of range (<c>INVALID_PARAMETER_VALUE</c>).</exception>
    public static void ValidateSearchRunsRequest(SearchRunsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ExperimentIds is null || request.ExperimentIds.Count == 0)
        {
            throw MlflowException.InvalidParameter("A run search needs at least one experiment id.");
        }

        foreach (var id in request.ExperimentIds)
        {
            TrackingValidation.ValidateExperimentId(id);
        }

        Search.SearchPageToken.ValidateMaxResults(request.MaxResults, SearchRunsRequest.MaxResultsLimit);
    }

    /// <summary>Validates a metric: key, and a timestamp that is not negative (any double value, NaN and ±Inf included).</summary>
    public static void ValidateMetric(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ValidateKey(metric.Key, "Metric", MaxKeyLength);
        if (metric.Timestamp < 0)
        {
            throw Invalid($"Invalid timestamp {metric.Timestamp} for metric '{metric.Key}': it must be a non-negative number of milliseconds since the Unix epoch.");
        }
    }

    /// <summary>Validates a param: key and value length.</summary>
    public static void ValidateParam(Param param)
    {
        ArgumentNullException.ThrowIfNull(param);
        ValidateKey(param.Key, "Param", MaxKeyLength);
        ValidateValue(param.Value, "Param", param.Key, MaxParamValueLength);
    }

    /// <summary>Validates a run tag: key and value length.</summary>
    public static void ValidateTag(RunTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ValidateKey(tag.Key, "Tag", MaxKeyLength);
        ValidateValue(tag.Value, "Tag", tag.Key, MaxTagValueLength);
    }

    /// <summary>Validates an experiment tag: key and value length.</summary>
    public static void ValidateExperimentTag(ExperimentTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ValidateKey(tag.Key, "Experiment tag", MaxKeyLength);
        ValidateValue(tag.Value, "Experiment tag", tag.Key, MaxExperimentTagValueLength);
    }

    /// <summary>
    /// Validates the shape of a log-batch call: the counts within MLflow's limits, no param key twice,
    /// and every entity on its own.
    /// </summary>
    public static void ValidateBatch(IReadOnlyCollection<Metric> metrics, IReadOnlyCollection<Param> parameters, IReadOnlyCollection<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        CheckCount(metrics.Count, MaxMetricsPerBatch, "metrics");
        CheckCount(parameters.Count, MaxParamsPerBatch, "params");
        CheckCount(tags.Count, MaxTagsPerBatch, "tags");
        var total = metrics.Count + parameters.Count + tags.Count;
        if (total > MaxEntitiesPerBatch)
        {
            throw Invalid($"A batch logging request can contain at most {MaxEntitiesPerBatch} metrics, params, and tags in total. Got {total} in total. Split the batch into smaller ones.");
        }

        // Batches repeat keys (a key's points arrive together): check each distinct key once.
        string? lastKey = null;
        foreach (var metric in metrics)
        {
            ArgumentNullException.ThrowIfNull(metric);
            if (!ReferenceEquals(metric.Key, lastKey) && metric.Key != lastKey)
            {
                ValidateKey(metric.Key, "Metric", MaxKeyLength);
                lastKey = metric.Key;
            }

            if (metric.Timestamp < 0)
            {
                ValidateMetric(metric);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var param in parameters)
        {
            ValidateParam(param);
            if (!seen.Add(param.Key))
            {
                duplicates.Add(param.Key);
            }
        }

        if (duplicates.Count > 0)
        {
            throw Invalid($"Duplicate parameter keys have been submitted: [{string.Join(", ", duplicates.Select(k => $"'{k}'"))}]. Please ensure the request contains only one param value per param key.");
        }

        foreach (var tag in tags)
        {
            ValidateTag(tag);
        }
    }

    /// <summary>Validates an experiment name: not empty, at most 500 characters, no NUL.</summary>
    public static void ValidateExperimentName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid("Invalid experiment name: it must be a non-empty string.");
        }

        if (name.Length > MaxExperimentNameLength)
        {
            throw Invalid($"Experiment name exceeds the maximum length of {MaxExperimentNameLength} characters (got {name.Length}).");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid("Invalid experiment name: it must not contain a NUL character.");
        }
    }

    /// <summary>Validates a run name when one is given: at most 250 characters, no NUL.</summary>
    public static void ValidateRunName(string? runName)
    {
        if (runName is null)
        {
            return;
        }

        if (runName.Length > MaxRunNameLength)
        {
            throw Invalid($"Run name exceeds the maximum length of {MaxRunNameLength} characters (got {runName.Length}).");
        }

        if (runName.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid("Invalid run name: it must not contain a NUL character.");
        }
    }

    /// <summary>Validates a run id: 1 to 256 characters, a letter or digit then letters, digits, <c>_</c> or <c>-</c>.</summary>
    public static void ValidateRunId(string? runId)
    {
        if (runId is null || !RunIdPattern().IsMatch(runId))
        {
            throw Invalid($"Invalid run ID: '{runId}'. A run ID is 1 to 256 characters: a letter or digit, then letters, digits, '_' or '-'.");
        }
    }

    /// <summary>Validates an experiment id: 1 to 64 characters, a letter or digit then letters, digits, <c>_</c> or <c>-</c>.</summary>
    public static void ValidateExperimentId(string? experimentId)
    {
        if (experimentId is null || !IsExperimentId(experimentId))
        {
            throw Invalid($"Invalid experiment ID: '{experimentId}'. An experiment ID is 1 to 64 characters: a letter or digit, then letters, digits, '_' or '-'.");
        }
    }

    /// <summary>Validates a dataset input: the dataset's required fields and sizes, and its input tags.</summary>
    public static void ValidateDatasetInput(DatasetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dataset = input.Dataset ?? throw Invalid("A dataset input must have a dataset.");
        Required(dataset.Name, "name");
        Required(dataset.Digest, "digest");
        Required(dataset.SourceType, "source_type");
        Required(dataset.Source, "source");
        MaxLength(dataset.Name, MaxDatasetNameLength, "name");
        MaxLength(dataset.Digest, MaxDatasetDigestLength, "digest");
        MaxLength(dataset.Source, MaxDatasetSourceLength, "source");
        MaxLength(dataset.Schema, MaxDatasetSchemaLength, "schema");
        MaxLength(dataset.Profile, MaxDatasetProfileLength, "profile");
        foreach (var tag in input.Tags ?? [])
        {
            if (tag is null || string.IsNullOrEmpty(tag.Key))
            {
                throw Invalid("Input tags must have a non-empty key.");
            }

            if (tag.Value is null)
            {
                throw Invalid($"Input tag '{tag.Key}' must have a value.");
            }

            if (tag.Key.Length > MaxInputTagKeyLength)
            {
                throw Invalid($"Input tag key '{Printable(tag.Key)}' exceeds the maximum length of {MaxInputTagKeyLength} characters.");
            }

            if (tag.Value.Length > MaxInputTagValueLength)
            {
                throw Invalid($"Input tag value for '{tag.Key}' exceeds the maximum length of {MaxInputTagValueLength} characters (got {tag.Value.Length}).");
            }
        }

        static void Required(string? value, string field)
        {
            if (string.IsNullOrEmpty(value))
            {
                throw Invalid($"Dataset field '{field}' is required and must not be empty.");
            }
        }

        static void MaxLength(string? value, int limit, string field)
        {
            if (value is not null && value.Length > limit)
            {
                throw Invalid($"Dataset {field} exceeds the maximum length of {limit.ToString(CultureInfo.InvariantCulture)} characters (got {value.Length}).");
            }
        }
    }

    /// <summary>
    /// Validates a key that becomes a relative file path: MLflow's characters (letters, digits, <c>_ - . / :</c>
    /// and space; no colon on Windows), at most <paramref name="maxLength"/> characters, and path-safe
    /// (no leading or trailing <c>/</c>, no <c>//</c>, no <c>.</c> or <c>..</c> segment).
    /// </summary>
    public static void ValidateKey(string? key, string what, int maxLength = MaxKeyLength)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw Invalid($"{what} key must be a non-empty string.");
        }

        var pattern = OperatingSystem.IsWindows() ? WindowsKeyPattern() : KeyPattern();
        if (!pattern.IsMatch(key))
        {
            throw Invalid($"Invalid {what.ToLowerInvariant()} name: '{Printable(key)}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ),{(OperatingSystem.IsWindows() ? string.Empty : " colon(:)")} and slashes (/).");
        }

        if (key.Length > maxLength)
        {
            throw Invalid($"'{what} key' exceeds the maximum length of {maxLength} characters (got {key.Length}).");
        }

        if (!IsPathSafe(key))
        {
            throw Invalid($"Invalid {what.ToLowerInvariant()} name: '{Printable(key)}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{Normalize(key)}'.");
        }
    }

    /// <summary>Whether a key can be used as a relative path under a store folder without escaping it (no error: for keys that come from search filters).</summary>
    public static bool IsSafeKeyPath(string key) =>
        !string.IsNullOrEmpty(key)
        && key.IndexOfAny(['\\', '\0']) < 0
        && !(OperatingSystem.IsWindows() && key.Contains(':', StringComparison.Ordinal))
        && IsPathSafe(key);

    private static bool IsPathSafe(string key)
    {
        if (key[0] == '/' || key[^1] == '/')
        {
            return false;
        }

        foreach (var range in key.AsSpan().Split('/'))
        {
            var segment = key.AsSpan(range);
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static string Normalize(string key)
    {
        var parts = new List<string>();
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(segment);
            }
        }

        var joined = string.Join('/', parts);
        return key.StartsWith('/') ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>A tag or param value: not null (empty is allowed) and at most <paramref name="maxLength"/> characters.</summary>
    public static void ValidateValue(string? value, string what, string key, int maxLength)
    {
        if (value is null)
        {
            throw Invalid($"{what} '{key}' must have a value (use an empty string for none).");
        }

        if (value.Length > maxLength)
        {
            throw Invalid($"{what} value for '{key}' exceeds the maximum length of {maxLength} characters (got {value.Length}).");
        }
    }

    private static void CheckCount(int count, int limit, string what)
    {
        if (count > limit)
        {
            throw Invalid($"A batch logging request can contain at most {limit} {what}. Got {count} {what}. Split the batch into smaller ones.");
        }
    }

    /// <summary>
    /// A new experiment's artifact location as the stores keep it: null when none is given (the store's default), a local
    /// path or <c>file:</c> URI as an absolute <c>file:</c> URI, any other URI as given; a <c>runs:</c> URI, a fragment or a NUL is refused.
    /// </summary>
    public static string? ResolveArtifactLocation(string? artifactLocation)
    {
        if (string.IsNullOrWhiteSpace(artifactLocation))
        {
            return null;
        }

        if (artifactLocation.StartsWith("runs:", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"Artifact location '{Printable(artifactLocation)}' is a runs: URI; an experiment's artifact location must name real storage.");
        }

        if (artifactLocation.Contains('#', StringComparison.Ordinal) || artifactLocation.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"Artifact location '{Printable(artifactLocation)}' must not contain a '#' fragment or a NUL character.");
        }

        return artifactLocation.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !Artifacts.FileUris.HasScheme(artifactLocation)
            ? Artifacts.FileUris.FromPath(Artifacts.FileUris.ToPath(artifactLocation))
            : artifactLocation;
    }

    /// <summary>The text as an error message quotes it: control characters shown as <c>\u0000</c>, at most 100 characters.</summary>
    public static string Printable(string text)
    {
        var shown = text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "...");
        return string.Concat(shown.Select(ch => char.IsControl(ch) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}") : ch.ToString()));
    }

    private static MlflowException Invalid(string message) => MlflowException.InvalidParameter(message);

    [GeneratedRegex(@"^[/\w.\- :]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[/\w.\- ]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex WindowsKeyPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_\-]{0,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();

    /// <summary>A letter or digit, then up to 63 letters, digits, '_' or '-' (ASCII); a loop, not a regex, whose first use costs a new process milliseconds.</summary>
    private static bool IsExperimentId(string id)
    {
        if (id.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
