using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace MlWorkflow.Tracking.S3;

/// <summary>One S3 client per configuration, shared by every repository of that configuration (a client owns its connection pool).</summary>
internal static class S3Clients
{
    private static readonly ConcurrentDictionary<string, Lazy<IAmazonS3>> Clients = new(StringComparer.Ordinal);

    public static IAmazonS3 For(S3ArtifactRepositoryOptions options)
    {
        var key = string.Join('\n', options.EndpointUrl, options.IgnoreTls, options.Region, options.AccessKeyId, options.SecretAccessKey, options.SessionToken, options.Profile, options.UseInstanceCredentials);
        var lazy = Clients.GetOrAdd(key, _ => new Lazy<IAmazonS3>(() => Create(options)));
        try
        {
            return lazy.Value;
        }
        catch (MlflowException)
        {
            // A configuration without credentials is not cached: credentials set later are picked up.
            Clients.TryRemove(key, out _);
            throw;
        }
    }

    private static AmazonS3Client Create(S3ArtifactRepositoryOptions options)
    {
        var config = new AmazonS3Config
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1"),
        };
        if (options.EndpointUrl is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw MlflowException.InvalidParameter($"MLFLOW_S3_ENDPOINT_URL '{S3Location.Excerpt(endpoint)}' is not an http:// or https:// URL.");
            }

            // A custom endpoint (MinIO, moto, Ceph…) is addressed path-style, and checksums are sent only where S3 requires them, as older S3-compatible servers expect.
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        if (options.IgnoreTls)
        {
            config.HttpClientFactory = new InsecureHttpClientFactory();
        }

        var credentials = Credentials(options);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>Keys, then a profile, then (when allowed) the SDK's own chain of container and instance roles; none at all fails clearly.</summary>
    private static AWSCredentials? Credentials(S3ArtifactRepositoryOptions options)
    {
        if (options.AccessKeyId is { } id && options.SecretAccessKey is { } secret)
        {
            return options.SessionToken is { } token ? new SessionAWSCredentials(id, secret, token) : new BasicAWSCredentials(id, secret);
        }

        if (new CredentialProfileStoreChain().TryGetAWSCredentials(options.Profile ?? "default", out var profile))
        {
            return profile;
        }

        if (options.Profile is not null)
        {
            throw new MlflowException(ErrorCode.Unauthenticated, $"The AWS profile '{S3Location.Excerpt(options.Profile)}' (AWS_PROFILE) is not in the shared AWS credentials or config file: add it, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }

        if (!options.UseInstanceCredentials)
        {
            throw new MlflowException(ErrorCode.Unauthenticated, "No AWS credentials for S3 artifacts: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE.");
        }

        return null;
    }

    /// <summary>An HTTP client that accepts any server certificate, for <c>MLFLOW_S3_IGNORE_TLS=true</c> (a self-signed MinIO), as MLflow's <c>verify=False</c>.</summary>
    private sealed class InsecureHttpClientFactory : HttpClientFactory
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5400:Ensure HttpClient certificate revocation list check is not disabled", Justification = "The user turned TLS checks off (MLFLOW_S3_IGNORE_TLS).")]
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The HttpClient owns and disposes the handler.")]
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
            return new HttpClient(handler, disposeHandler: true);
        }
    }
}
