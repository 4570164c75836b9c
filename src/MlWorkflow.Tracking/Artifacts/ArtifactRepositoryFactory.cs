using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.Artifacts;

/// <summary>
/// Chooses the artifact repository for an artifact URI by its scheme, as MLflow does: <c>file:</c> URIs and plain
/// paths are local; other schemes (<c>mlflow-artifacts:</c>, …) are served by factories registered with
/// <see cref="Register(string, Func{string, IArtifactRepository})"/>. <c>s3:</c> URIs are served by the <c>MlWorkflow.Tracking.S3</c> package when the application
/// references it (found by assembly name, nothing to register); without it they fail with
/// <see cref="ErrorCode.NotImplemented"/> naming the package to add. Repositories it creates log to its
/// <see cref="LoggerFactory"/> (local ones, the S3 package's, and those registered with the overload of <see cref="Register(string, Func{string, ILoggerFactory?, IArtifactRepository})"/> that takes it).
/// </summary>
public sealed class ArtifactRepositoryFactory
{
    private readonly Dictionary<string, Func<string, ILoggerFactory?, IArtifactRepository>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a factory that knows local artifacts (<c>file:</c> and plain paths); its repositories log nothing.</summary>
    public ArtifactRepositoryFactory()
        : this(null)
    {
    }

    /// <summary>Creates a factory that knows local artifacts (<c>file:</c> and plain paths) and gives its repositories a logger factory.</summary>
    /// <param name="loggerFactory">Where the repositories it creates log (transfers, failures); null logs nothing.</param>
    public ArtifactRepositoryFactory(ILoggerFactory? loggerFactory)
    {
        LoggerFactory = loggerFactory;
        _factories["file"] = (uri, loggers) => new LocalArtifactRepository(uri, loggers);
    }

    /// <summary>Where the repositories this factory creates log; null when they log nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; }

    /// <summary>Registers (or replaces) the repository for a URI scheme.</summary>
    /// <param name="scheme">The scheme without its colon, such as <c>mlflow-artifacts</c>.</param>
    /// <param name="create">Creates a repository for a root URI of that scheme.</param>
    /// <returns>This factory, for chaining.</returns>
    public ArtifactRepositoryFactory Register(string scheme, Func<string, IArtifactRepository> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return Register(scheme, (uri, _) => create(uri));
    }

    /// <summary>Registers (or replaces) the repository for a URI scheme, created with this factory's <see cref="LoggerFactory"/>.</summary>
    /// <param name="scheme">The scheme without its colon, such as <c>s3</c>.</param>
    /// <param name="create">Creates a repository for a root URI of that scheme that logs to the given logger factory (null: none).</param>
    /// <returns>This factory, for chaining.</returns>
    public ArtifactRepositoryFactory Register(string scheme, Func<string, ILoggerFactory?, IArtifactRepository> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(create);
        _factories[scheme] = create;
        return this;
    }

    /// <summary>Creates a factory with the same registrations and logger factory; registering into either afterwards leaves the other as it is.</summary>
    /// <returns>The copy.</returns>
    public ArtifactRepositoryFactory Clone() => Clone(LoggerFactory);

    /// <summary>Creates a factory with the same registrations and another logger factory (a server's, for a client's registrations).</summary>
    /// <param name="loggerFactory">Where the copy's repositories log; null logs nothing.</param>
    /// <returns>The copy.</returns>
    public ArtifactRepositoryFactory Clone(ILoggerFactory? loggerFactory)
    {
        var copy = new ArtifactRepositoryFactory(loggerFactory);
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
            return create(artifactUri, LoggerFactory);
        }

        if (Companions.TryGetValue(scheme, out var companion))
        {
            return companion.Create(artifactUri, LoggerFactory);
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

    /// <summary>Schemes served by a companion package the application may reference, found by assembly name.</summary>
    private static readonly Dictionary<string, CompanionRepository> Companions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["s3"] = new("s3", "MlWorkflow.Tracking.S3", "MlWorkflow.Tracking.S3.S3ArtifactRepository"),
    };

    /// <summary>A repository type in a companion package, with a public constructor taking the root URI and a logger factory; loaded once, on first use.</summary>
    private sealed class CompanionRepository(string scheme, string package, string typeName)
    {
        private ConstructorInfo? _constructor;

        public IArtifactRepository Create(string artifactUri, ILoggerFactory? loggerFactory)
        {
            var constructor = _constructor ??= Load();
            try
            {
                return (IArtifactRepository)constructor.Invoke([artifactUri, loggerFactory]);
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error.InnerException);
                throw;
            }
        }

        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The package is an optional reference found by name; an application that trims keeps it by referencing it.")]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Same: the repository's public constructor is read by name.")]
        private ConstructorInfo Load()
        {
            try
            {
                // The core's own load context, so that a core loaded as a plug-in finds the package beside it.
                var context = AssemblyLoadContext.GetLoadContext(typeof(ArtifactRepositoryFactory).Assembly) ?? AssemblyLoadContext.Default;
                var type = context.LoadFromAssemblyName(new AssemblyName(package)).GetType(typeName, throwOnError: true)!;
                return type.GetConstructor([typeof(string), typeof(ILoggerFactory)]) ?? throw new MissingMethodException(typeName, ".ctor(string, ILoggerFactory)");
            }
            catch (Exception error) when (error is FileNotFoundException or FileLoadException or TypeLoadException or MissingMethodException)
            {
                throw new MlflowException(
                    ErrorCode.NotImplemented,
                    $"{scheme}: artifact URIs need the {package} package: add it to the application (dotnet add package {package}).",
                    error);
            }
        }
    }
}
