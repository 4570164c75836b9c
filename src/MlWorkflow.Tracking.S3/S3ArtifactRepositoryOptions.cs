using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.S3;

/// <summary>
/// How <see cref="S3ArtifactRepository"/> reaches S3 and moves bytes. <see cref="FromEnvironment()"/> reads the variables MLflow
/// reads (MLflow's S3 artifact store documentation, https://mlflow.org/docs/latest/tracking/artifacts-stores.html):
/// <c>MLFLOW_S3_ENDPOINT_URL</c>, <c>MLFLOW_S3_IGNORE_TLS</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
/// <c>AWS_SESSION_TOKEN</c>, <c>AWS_DEFAULT_REGION</c> / <c>AWS_REGION</c> and <c>AWS_PROFILE</c>.
/// </summary>
public sealed class S3ArtifactRepositoryOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (all parts but the last).</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    private ILoggerFactory? _loggerFactory;

    /// <summary>
    /// The S3 endpoint, such as <c>http://127.0.0.1:9000</c> for MinIO; requests then use path-style addressing
    /// (<c>http://host/bucket/key</c>). The default value is null: AWS's own endpoint for <see cref="Region"/>.
    /// </summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Whether TLS certificates of the endpoint are not checked (a self-signed MinIO). The default value is false.</summary>
    public bool IgnoreTls { get; init; }

    /// <summary>The AWS region, such as <c>eu-west-1</c>. The default value is null: <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>The access key id; with <see cref="SecretAccessKey"/>. The default value is null: a profile or the instance's role.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The secret access key; with <see cref="AccessKeyId"/>. The default value is null.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>The session token of temporary credentials. The default value is null.</summary>
    public string? SessionToken { get; init; }

    /// <summary>The named profile of the shared AWS credentials file, used when no keys are given. The default value is null: <c>default</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Whether the SDK may look for credentials beyond keys and profiles (container and EC2 instance roles); false when
    /// <c>AWS_EC2_METADATA_DISABLED=true</c>, so that a machine without credentials fails at once with a clear error.
    /// The default value is true.
    /// </summary>
    public bool UseInstanceCredentials { get; init; } = true;

    /// <summary>Files this large or larger are uploaded in parts (multipart upload). The default value is 8 MiB, as boto3's.</summary>
    public long MultipartThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload, at least <see cref="MinimumPartSize"/>. The default value is 8 MiB.</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How many parts are uploaded at once; memory held is at most this many parts. The default value is 4.</summary>
    public int MaxConcurrentParts { get; init; } = 4;

    /// <summary>Where uploads, downloads and failures are logged. The default value is null: not logged.</summary>
    public ILoggerFactory? LoggerFactory { get => _loggerFactory; init => _loggerFactory = value; }

    /// <summary>Reads the options from the process's environment variables (see the type's remarks).</summary>
    /// <returns>The options.</returns>
    public static S3ArtifactRepositoryOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the options from environment variables given by a function (a test's or a child process's).</summary>
    /// <param name="variable">Returns a variable's value, or null when it is not set.</param>
    /// <returns>The options.</returns>
    public static S3ArtifactRepositoryOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Read(string name) => variable(name) is { Length: > 0 } value ? value : null;
        return new S3ArtifactRepositoryOptions
        {
            EndpointUrl = Read("MLFLOW_S3_ENDPOINT_URL"),
            IgnoreTls = IsTrue(Read("MLFLOW_S3_IGNORE_TLS")),
            Region = Read("AWS_DEFAULT_REGION") ?? Read("AWS_REGION"),
            AccessKeyId = Read("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = Read("AWS_SECRET_ACCESS_KEY"),
            SessionToken = Read("AWS_SESSION_TOKEN"),
            Profile = Read("AWS_PROFILE"),
            UseInstanceCredentials = !IsTrue(Read("AWS_EC2_METADATA_DISABLED")),
        };
    }

    /// <summary>These options with a logger factory, unless they have one of their own (which is kept).</summary>
    internal S3ArtifactRepositoryOptions WithLoggerFactory(ILoggerFactory? loggerFactory)
    {
        if (loggerFactory is null || LoggerFactory is not null)
        {
            return this;
        }

        // Every other setting as it is, whatever settings are added later.
        var copy = (S3ArtifactRepositoryOptions)MemberwiseClone();
        copy._loggerFactory = loggerFactory;
        return copy;
    }

    /// <summary>Checks the sizes, so that a bad setting fails before any upload starts.</summary>
    internal void Validate()
    {
        if (PartSize < MinimumPartSize)
        {
            throw MlflowException.InvalidParameter($"S3 PartSize {PartSize} is below S3's minimum part size of {MinimumPartSize} bytes (5 MiB).");
        }

        if (MultipartThreshold < 1 || MaxConcurrentParts < 1)
        {
            throw MlflowException.InvalidParameter("S3 MultipartThreshold and MaxConcurrentParts must be at least 1.");
        }

        if ((AccessKeyId is null) != (SecretAccessKey is null))
        {
            throw new MlflowException(ErrorCode.Unauthenticated, "Incomplete AWS credentials: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).");
        }
    }

    // MLflow reads MLFLOW_S3_IGNORE_TLS as a boolean string (true/1/yes).
    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
