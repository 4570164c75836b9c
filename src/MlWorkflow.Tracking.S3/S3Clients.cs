using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlWorkflow.Tracking.S3;

/// <summary>
/// One S3 client per configuration, shared by every repository of that configuration (a client owns its connection pool),
/// lent out a call or a transfer at a time (<see cref="Rent"/>): a client dropped from the cache is disposed once its last
/// lease ends, never under a transfer still reading from it.
/// </summary>
internal static class S3Clients
{
    // Bounded and least-recently-used: a rotated key or a changed endpoint is a new configuration and gets a new client, and the old ones are disposed instead of piling up for the life of the process.
    /// <summary>How many configurations keep a client.</summary>
    public const int Capacity = 8;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<Entry> Recent = new();
    private static readonly Dictionary<string, LinkedListNode<Entry>> ByKey = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<ILoggerFactory, string> LoggerIds = [];
    private static long _lastLoggersId;

    /// <summary>How many clients the cache holds now.</summary>
    internal static int Count
    {
        get
        {
            lock (Gate)
            {
                return ByKey.Count;
            }
        }
    }

    /// <summary>Lends the client of a configuration, creating it when the cache has none; dispose the lease when the call or transfer ends.</summary>
    /// <exception cref="MlflowException">The configuration has no credentials or a bad endpoint (nothing is cached: a later fix is picked up).</exception>
    public static Lease Rent(S3ArtifactRepositoryOptions options)
    {
        var key = string.Join('\n', options.EndpointUrl, options.IgnoreTls, options.Region, options.AccessKeyId, options.SecretAccessKey, options.SessionToken, options.Profile, options.UseInstanceCredentials, LoggersId(options.LoggerFactory));
        lock (Gate)
        {
            if (ByKey.TryGetValue(key, out var node))
            {
                return Lend(node);
            }
        }

        var created = Create(options);
        var evicted = new List<IAmazonS3>();
        Lease lease;
        lock (Gate)
        {
            if (ByKey.TryGetValue(key, out var raced))
            {
                // Another caller created the same configuration's client meanwhile: theirs is kept.
                evicted.Add(created);
                lease = Lend(raced);
            }
            else
            {
                var node = Recent.AddFirst(new Entry(key, created));
                ByKey[key] = node;
                lease = Lend(node);
                while (Recent.Count > Capacity)
                {
                    var oldest = Recent.Last!.Value;
                    Recent.RemoveLast();
                    ByKey.Remove(oldest.Key);
                    oldest.Evicted = true;
                    if (oldest.Users == 0)
                    {
                        evicted.Add(oldest.Client);
                    }
                }
            }
        }

        foreach (var client in evicted)
        {
            client.Dispose();
        }

        return lease;
    }

    /// <summary>A number of its own for each logger factory (a client logs its retries to the logger factory it was made for).</summary>
    private static string LoggersId(ILoggerFactory? loggers) =>
        loggers is null ? string.Empty : LoggerIds.GetValue(loggers, _ => Interlocked.Increment(ref _lastLoggersId).ToString(CultureInfo.InvariantCulture));

    private static Lease Lend(LinkedListNode<Entry> node)
    {
        Recent.Remove(node);
        Recent.AddFirst(node);
        node.Value.Users++;
        return new Lease(node.Value);
    }

    /// <summary>A client lent for one call or transfer.</summary>
    internal sealed class Lease(Entry entry) : IDisposable
    {
        private int _returned;

        public IAmazonS3 Client => entry.Client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) != 0)
            {
                return;
            }

            bool dispose;
            lock (Gate)
            {
                entry.Users--;
                dispose = entry.Evicted && entry.Users == 0;
            }

            if (dispose)
            {
                entry.Client.Dispose();
            }
        }
    }

    /// <summary>A cached client, how many leases are out, and whether it has left the cache.</summary>
    internal sealed class Entry(string key, IAmazonS3 client)
    {
        public string Key => key;

        public IAmazonS3 Client => client;

        public int Users { get; set; }

        public bool Evicted { get; set; }
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

        // Its own HTTP clients, so that each attempt's failure and each retry reach the repository's logger.
        config.HttpClientFactory = new S3HttpClientFactory(options.IgnoreTls, options.LoggerFactory?.CreateLogger<S3ArtifactRepository>() ?? (ILogger)NullLogger.Instance);

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
}
