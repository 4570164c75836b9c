namespace MlWorkflow.Tracking.Artifacts;

/// <summary>
/// Chooses the artifact repository for an artifact URI by its scheme, as MLflow does: <c>file:</c> URIs and plain
/// paths are local; other schemes (<c>mlflow-artifacts:</c>, <c>s3:</c>, …) are served by factories registered with
/// <see cref="Register"/>.
/// </summary>
public sealed class ArtifactRepositoryFactory
{
    private readonly Dictionary<string, Func<string, IArtifactRepository>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a factory that knows local artifacts (<c>file:</c> and plain paths).</summary>
    public ArtifactRepositoryFactory()
    {
        _factories["file"] = uri => new LocalArtifactRepository(uri);
    }

    /// <summary>Registers (or replaces) the repository for a URI scheme.</summary>
    /// <param name="scheme">The scheme without its colon, such as <c>mlflow-artifacts</c>.</param>
    /// <param name="create">Creates a repository for a root URI of that scheme.</param>
    /// <returns>This factory, for chaining.</returns>
    public ArtifactRepositoryFactory Register(string scheme, Func<string, IArtifactRepository> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(create);
        _factories[scheme] = create;
        return this;
    }

    /// <summary>Creates a factory with the same registrations; registering into either afterwards leaves the other as it is.</summary>
    /// <returns>The copy.</returns>
    public ArtifactRepositoryFactory Clone()
    {
        var copy = new ArtifactRepositoryFactory();
        foreach (var (scheme, create) in _factories)
        {
            copy._factories[scheme] = create;
        }

        return copy;
    }

    /// <summary>Creates the repository for a run's or experiment's artifact URI.</summary>
    /// <param name="artifactUri">The URI, such as <c>file:///srv/mlruns/1/abc/artifacts</c>.</param>
    /// <returns>The repository.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.NotImplemented"/> when no repository serves the scheme.</exception>
    public IArtifactRepository Create(string artifactUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        var scheme = SchemeOf(artifactUri);
        if (_factories.TryGetValue(scheme, out var create))
        {
            return create(artifactUri);
        }

        throw new MlflowException(
            ErrorCode.NotImplemented,
            $"No artifact repository serves '{scheme}:' URIs (artifact URI '{artifactUri}'). Register one with ArtifactRepositoryFactory.Register.");
    }

    private static string SchemeOf(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);

        // A plain path (or a Windows drive letter such as C:\) is a local file path.
        if (colon <= 1 || uri[..colon].Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')))
        {
            return "file";
        }

        return uri[..colon];
    }
}
