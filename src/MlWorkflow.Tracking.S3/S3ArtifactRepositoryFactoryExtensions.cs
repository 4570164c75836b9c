using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.S3;

/// <summary>Registers <c>s3://</c> artifact URIs with explicit options (without it, referencing the package serves them configured from the environment).</summary>
public static class S3ArtifactRepositoryFactoryExtensions
{
    /// <summary>Serves <c>s3://</c> URIs with <see cref="S3ArtifactRepository"/> and the given options; repositories log to the factory's logger factory unless the options name their own.</summary>
    /// <param name="factory">The factory, such as <see cref="MlflowClientOptions.ArtifactRepositories"/>.</param>
    /// <param name="options">How to reach S3; the default value is null: read from the environment at each creation.</param>
    /// <returns>The factory, for chaining.</returns>
    public static ArtifactRepositoryFactory RegisterS3(this ArtifactRepositoryFactory factory, S3ArtifactRepositoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Register("s3", (uri, loggers) => options is null ? new S3ArtifactRepository(uri, loggers) : new S3ArtifactRepository(uri, options.WithLoggerFactory(loggers)));
    }
}
