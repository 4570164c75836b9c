using System.Globalization;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Registry;

/// <summary>
/// A parsed model URI, as MLflow reads them (https://mlflow.org/docs/latest/concepts.html#referencing-artifacts): <c>models:/Name/3</c>, <c>models:/Name/Production</c>
/// (stage words in any case), <c>models:/Name/latest</c>, <c>models:/Name@champion</c> (split at the last <c>@</c>),
/// <c>runs:/&lt;run id&gt;/&lt;path&gt;</c>, or a concrete location (<c>file:</c> URI, plain path, other schemes).
/// </summary>
public sealed class ModelUri
{
    private const string ModelsScheme = "models:";
    private const string RunsScheme = "runs:";

    private ModelUri(string uri, ModelUriKind kind)
    {
        Uri = uri;
        Kind = kind;
    }

    /// <summary>The URI as given.</summary>
    public string Uri { get; }

    /// <summary>What the URI names.</summary>
    public ModelUriKind Kind { get; }

    /// <summary>The registered model name, for <c>models:/</c> URIs.</summary>
    public string? ModelName { get; private init; }

    /// <summary>The version number, for <see cref="ModelUriKind.ModelVersion"/>.</summary>
    public int? Version { get; private init; }

    /// <summary>The stage, for <see cref="ModelUriKind.ModelStage"/>.</summary>
    public ModelVersionStage? Stage { get; private init; }

    /// <summary>The alias, for <see cref="ModelUriKind.ModelAlias"/>.</summary>
    public string? Alias { get; private init; }

    /// <summary>The run id, for <see cref="ModelUriKind.RunArtifact"/>.</summary>
    public string? RunId { get; private init; }

    /// <summary>The normalised path under the run's artifact root (empty for the root), for <see cref="ModelUriKind.RunArtifact"/>.</summary>
    public string? ArtifactPath { get; private init; }

    /// <summary>Whether the URI names a model through the registry (a <c>models:/</c> URI).</summary>
    public bool IsRegistryUri => Kind is ModelUriKind.ModelVersion or ModelUriKind.ModelStage or ModelUriKind.LatestModelVersion or ModelUriKind.ModelAlias;

    /// <summary>Whether the text starts with the <c>models:</c> scheme (any case).</summary>
    /// <param name="uri">The text.</param>
    /// <returns>True for <c>models:/…</c>.</returns>
    public static bool IsModelsUri(string? uri) => uri is not null && uri.StartsWith(ModelsScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the text starts with the <c>runs:</c> scheme (any case).</summary>
    /// <param name="uri">The text.</param>
    /// <returns>True for <c>runs:/…</c>.</returns>
    public static bool IsRunsUri(string? uri) => uri is not null && uri.StartsWith(RunsScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a model URI.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a malformed <c>models:/</c> or <c>runs:/</c> URI, an invalid name, version, stage, alias, run id or path.</exception>
    public static ModelUri Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw MlflowException.InvalidParameter("A model URI must be a non-empty string, such as models:/Name/Production or runs:/<run id>/model.");
        }

        if (uri.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("A model URI must not contain a NUL character.");
        }

        if (IsModelsUri(uri))
        {
            return ParseModels(uri);
        }

        return IsRunsUri(uri) ? ParseRuns(uri) : new ModelUri(uri, ModelUriKind.Location);
    }

    /// <summary>
    /// The download URI of the version a <c>models:/</c> source names, which a store records as the new version's
    /// <c>storage_location</c>; errors carry MLflow's "Unable to fetch model from model URI source" wording.
    /// </summary>
    internal static async Task<string> ResolveSourceDownloadUriAsync(IModelRegistryStore store, string source, CancellationToken cancellationToken)
    {
        try
        {
            var version = await Parse(source).ResolveVersionAsync(store, cancellationToken).ConfigureAwait(false);
            return await store.GetModelVersionDownloadUriAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException error)
        {
            throw new MlflowException(
                error.ErrorCode,
                string.Create(CultureInfo.InvariantCulture, $"Unable to fetch model from model URI source artifact location '{source}'. Error: {error.Message}"),
                error);
        }
    }

    /// <summary>Finds the version a <c>models:/</c> URI names, through a registry store.</summary>
    /// <param name="store">The registry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="InvalidOperationException">The URI is not a <c>models:/</c> URI.</exception>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.ResourceDoesNotExist"/> for an unknown model or version, or a stage (or <c>latest</c>) without versions;
    /// <see cref="ErrorCode.InvalidParameterValue"/> for an unknown alias.
    /// </exception>
    public async Task<ModelVersion> ResolveVersionAsync(IModelRegistryStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var name = ModelName ?? throw new InvalidOperationException($"'{Uri}' does not name a registered model.");
        switch (Kind)
        {
            case ModelUriKind.ModelVersion:
                return await store.GetModelVersionAsync(name, Version!.Value, cancellationToken).ConfigureAwait(false);
            case ModelUriKind.ModelAlias:
                return await store.GetModelVersionByAliasAsync(name, Alias!, cancellationToken).ConfigureAwait(false);
            case ModelUriKind.ModelStage:
                var inStage = await store.GetLatestVersionsAsync(name, [Stage!.Value], cancellationToken).ConfigureAwait(false);
                return inStage.Count > 0
                    ? inStage[0]
                    : throw MlflowException.NotFound($"No versions of model with name '{name}' and stage '{Stage.Value.ToWireName()}' found (model URI '{Uri}').");
            default:
                var latest = await store.GetLatestVersionsAsync(name, null, cancellationToken).ConfigureAwait(false);
                return latest.Count > 0
                    ? latest.MaxBy(v => v.Version)!
                    : throw MlflowException.NotFound($"No versions of model with name '{name}' found (model URI '{Uri}').");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Uri;

    private static ModelUri ParseModels(string uri)
    {
        var path = uri[ModelsScheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            throw InvalidModels(uri, "a models URI has no host part; write models:/Name/Version");
        }

        path = path.Trim('/');
        var parts = path.Split('/');
        if (parts.Length == 2)
        {
            var name = CheckName(uri, parts[0]);
            var suffix = parts[1];
            if (suffix.Length > 0 && suffix.All(char.IsAsciiDigit))
            {
                return new ModelUri(uri, ModelUriKind.ModelVersion) { ModelName = name, Version = RegistryValidation.ParseVersion(suffix) };
            }

            if (suffix.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                return new ModelUri(uri, ModelUriKind.LatestModelVersion) { ModelName = name };
            }

            if (!ModelVersionStages.TryParse(suffix, out var stage))
            {
                throw MlflowException.InvalidParameter(
                    $"Invalid Model Version stage: '{suffix}' in model URI '{uri}'. After the name comes a version number, a stage (None, Staging, Production, Archived) or 'latest'.");
            }

            return new ModelUri(uri, ModelUriKind.ModelStage) { ModelName = name, Stage = stage };
        }

        if (parts.Length == 1 && parts[0].Contains('@', StringComparison.Ordinal))
        {
            var at = parts[0].LastIndexOf('@');
            var name = CheckName(uri, parts[0][..at]);
            var alias = parts[0][(at + 1)..];
            if (alias.Length == 0)
            {
                throw InvalidModels(uri, "the alias after '@' is empty");
            }

            return new ModelUri(uri, ModelUriKind.ModelAlias) { ModelName = name, Alias = alias };
        }

        throw InvalidModels(uri, "expected a name and a version, stage or 'latest', or a name and an alias");
    }

    private static string CheckName(string uri, string name)
    {
        if (name.Length == 0)
        {
            throw InvalidModels(uri, "the model name is empty");
        }

        RegistryValidation.ValidateModelName(name);
        return name;
    }

    private static ModelUri ParseRuns(string uri)
    {
        var path = uri[RunsScheme.Length..];
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"Not a proper runs:/ URI: '{uri}'. Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'.");
        }

        path = path[1..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? path : path[..slash];
        var relative = slash < 0 ? string.Empty : path[(slash + 1)..];
        if (runId.Length == 0)
        {
            throw MlflowException.InvalidParameter($"Not a proper runs:/ URI: '{uri}': the run id is empty.");
        }

        TrackingValidation.ValidateRunId(runId);
        return new ModelUri(uri, ModelUriKind.RunArtifact)
        {
            RunId = runId,
            ArtifactPath = Artifacts.ArtifactPath.Normalize(relative, "runs:/ artifact path"),
        };
    }

    private static MlflowException InvalidModels(string uri, string problem) =>
        MlflowException.InvalidParameter(string.Create(
            CultureInfo.InvariantCulture,
            $"Not a proper models:/ URI: '{uri}' ({problem}). Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias', where suffix is a model version, stage, or the string 'latest' and alias is a registered model alias."));
}
