using System.Buffers;
using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.S3;

/// <summary>
/// Artifacts under an <c>s3://bucket/prefix</c> root, as MLflow's S3 artifact repository keeps them (MLflow's artifact store
/// documentation, https://mlflow.org/docs/latest/tracking/artifacts-stores.html): the artifact <c>a/b.txt</c> is the object
/// <c>prefix/a/b.txt</c>, and folders are key prefixes. Uploads at or above <see cref="S3ArtifactRepositoryOptions.MultipartThreshold"/>
/// go in parts (a few parts in memory at once); downloads are streamed; listings follow S3's pages.
/// </summary>
/// <remarks>
/// Referencing this package is enough for <c>s3://</c> artifact URIs: <see cref="ArtifactRepositoryFactory"/> finds this type by
/// name and calls <see cref="S3ArtifactRepository(string, ILoggerFactory)"/> with its logger factory. No artifact path leaves the prefix: <c>..</c>, absolute paths and
/// their percent-encoded forms are refused with <see cref="ErrorCode.InvalidParameterValue"/>.
/// </remarks>
public sealed partial class S3ArtifactRepository : IDeletableArtifactRepository, IMultipartArtifactRepository
{
    /// <summary>The most parts a multipart upload may have (S3's limit).</summary>
    public const int MaxParts = 10_000;

    private const int CopyBufferSize = 81920;

    // A transfer this slow is logged at Information (a user waiting on it wants to know); faster ones at Debug.
    private static readonly TimeSpan SlowTransfer = TimeSpan.FromSeconds(10);

    // As long as boto3's presigned URLs live by default (one hour): a part is sent well within it.
    private static readonly TimeSpan PresignedUrlLifetime = TimeSpan.FromHours(1);
    private readonly S3Location _location;
    private readonly S3ArtifactRepositoryOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a repository configured from the environment (<see cref="S3ArtifactRepositoryOptions.FromEnvironment()"/>).</summary>
    /// <param name="rootUri">The root, such as <c>s3://my-bucket/mlartifacts/1/abc/artifacts</c>.</param>
    /// <exception cref="MlflowException">The URI is not <c>s3://bucket/prefix</c>, or there are no AWS credentials.</exception>
    public S3ArtifactRepository(string rootUri)
        : this(rootUri, S3ArtifactRepositoryOptions.FromEnvironment())
    {
    }

    /// <summary>
    /// Creates a repository configured from the environment (<see cref="S3ArtifactRepositoryOptions.FromEnvironment()"/>) that logs
    /// to a logger factory: the constructor <see cref="ArtifactRepositoryFactory"/> calls, with its own logger factory.
    /// </summary>
    /// <param name="rootUri">The root, such as <c>s3://my-bucket/mlartifacts/1/abc/artifacts</c>.</param>
    /// <param name="loggerFactory">Where transfers and failures are logged; null logs nothing.</param>
    /// <exception cref="MlflowException">The URI is not <c>s3://bucket/prefix</c>, or there are no AWS credentials.</exception>
    public S3ArtifactRepository(string rootUri, ILoggerFactory? loggerFactory)
        : this(rootUri, S3ArtifactRepositoryOptions.FromEnvironment().WithLoggerFactory(loggerFactory))
    {
    }

    /// <summary>Creates a repository with explicit options.</summary>
    /// <param name="rootUri">The root, such as <c>s3://my-bucket/mlartifacts/1/abc/artifacts</c>.</param>
    /// <param name="options">How to reach S3 and move bytes.</param>
    /// <exception cref="MlflowException">The URI is not <c>s3://bucket/prefix</c>, an option is out of range, or there are no AWS credentials.</exception>
    public S3ArtifactRepository(string rootUri, S3ArtifactRepositoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _location = S3Location.Parse(rootUri);
        options.Validate();
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger<S3ArtifactRepository>() ?? (ILogger)NullLogger.Instance;

        // Renting once checks the credentials and endpoint now, so that a bad configuration fails here rather than at the first upload.
        using (S3Clients.Rent(options))
        {
        }

        RootUri = _location.ToString();
    }

    /// <inheritdoc />
    public string RootUri { get; }

    /// <summary>The bucket of the root.</summary>
    public string Bucket => _location.Bucket;

    /// <summary>The key prefix of the root, without leading or trailing <c>/</c>; empty for the whole bucket.</summary>
    public string Prefix => _location.Prefix;

    /// <inheritdoc />
    public async Task<string> LogFileAsync(string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localFile);
        if (!File.Exists(localFile))
        {
            throw new FileNotFoundException($"Cannot log artifact: the file '{localFile}' does not exist.", localFile);
        }

        var relative = ArtifactPath.Combine(S3Location.CheckedPath(artifactPath), Path.GetFileName(localFile));
        await using var source = OpenLocal(localFile);
        await WriteAsync(relative, source, cancellationToken).ConfigureAwait(false);
        return relative;
    }

    /// <inheritdoc />
    public async Task LogDirectoryAsync(string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localDirectory);
        if (!Directory.Exists(localDirectory))
        {
            throw new DirectoryNotFoundException($"Cannot log artifacts: the folder '{localDirectory}' does not exist.");
        }

        // S3 has no empty folders: only files are uploaded, as MLflow's S3 repository does.
        var prefix = S3Location.CheckedPath(artifactPath);
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await using var source = OpenLocal(file);
            await WriteAsync(ArtifactPath.Combine(prefix, relative), source, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(string artifactFile, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = S3Location.CheckedPath(artifactFile);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path '': an artifact file needs a name.");
        }

        var key = _location.KeyOf(relative);
        using var activity = S3Diagnostics.Source.StartActivity("s3.upload");
        activity?.SetTag("s3.bucket", _location.Bucket);
        activity?.SetTag("s3.key", key);
        var started = Stopwatch.GetTimestamp();
        var contentType = ContentTypes.Of(relative);
        long bytes;
        int parts;
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        if (content.CanSeek && content.Length - content.Position < _options.MultipartThreshold)
        {
            // Small and seekable (a file): one PUT streamed from the source.
            bytes = content.Length - content.Position;
            parts = 1;
            await CallAsync("upload", relative, () => client.PutObjectAsync(
                new PutObjectRequest { BucketName = _location.Bucket, Key = key, InputStream = content, AutoCloseStream = false, ContentType = contentType },
                cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            (bytes, parts) = await UploadBufferedAsync(client, key, relative, content, contentType, cancellationToken).ConfigureAwait(false);
        }

        S3Diagnostics.BytesUploaded.Add(bytes);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= SlowTransfer)
        {
            LogSlowUpload(_logger, bytes, RootUri, relative, parts, elapsed.TotalSeconds);
        }
        else
        {
            LogUploaded(_logger, bytes, RootUri, relative, parts, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Reads the source a part at a time: a short source (below the threshold) is one PUT; a long one a multipart upload with at
    /// most <see cref="S3ArtifactRepositoryOptions.MaxConcurrentParts"/> parts in flight, aborted on any failure so that no
    /// half-written object or orphaned part remains.
    /// </summary>
    private async Task<(long Bytes, int Parts)> UploadBufferedAsync(IAmazonS3 client, string key, string relative, Stream content, string? contentType, CancellationToken cancellationToken)
    {
        var partSize = _options.PartSize;
        var single = (int)Math.Min(_options.MultipartThreshold, partSize);
        var first = ArrayPool<byte>.Shared.Rent(partSize);
        int firstLength;
        try
        {
            firstLength = await content.ReadAtLeastAsync(first.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (firstLength < single)
            {
                using var body = new MemoryStream(first, 0, firstLength, writable: false);
                await CallAsync("upload", relative, () => client.PutObjectAsync(
                    new PutObjectRequest { BucketName = _location.Bucket, Key = key, InputStream = body, AutoCloseStream = false, ContentType = contentType },
                    cancellationToken)).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(first);
                return (firstLength, 1);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(first);
            throw;
        }

        // The first part's buffer now belongs to the multipart upload, which returns it.
        return await UploadPartsAsync(client, key, relative, content, contentType, first, firstLength, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(long Bytes, int Parts)> UploadPartsAsync(IAmazonS3 client, string key, string relative, Stream content, string? contentType, byte[] firstBuffer, int firstLength, CancellationToken cancellationToken)
    {
        byte[]? buffer = firstBuffer;
        InitiateMultipartUploadResponse initiated;
        try
        {
            initiated = await CallAsync("upload", relative, () => client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key, ContentType = contentType },
                cancellationToken)).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        var uploadId = initiated.UploadId;
        var inFlight = new Queue<Task<PartETag>>();
        var done = new List<PartETag>();
        long total = 0;
        var partNumber = 0;
        try
        {
            var length = firstLength;
            while (true)
            {
                partNumber++;
                total += length;
                inFlight.Enqueue(UploadPartAsync(client, key, relative, uploadId, partNumber, buffer, length, cancellationToken));
                buffer = null;
                if (inFlight.Count >= _options.MaxConcurrentParts)
                {
                    done.Add(await inFlight.Dequeue().ConfigureAwait(false));
                }

                buffer = ArrayPool<byte>.Shared.Rent(_options.PartSize);
                length = await content.ReadAtLeastAsync(buffer.AsMemory(0, _options.PartSize), _options.PartSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    break;
                }
            }

            while (inFlight.Count > 0)
            {
                done.Add(await inFlight.Dequeue().ConfigureAwait(false));
            }

            await CallAsync("upload", relative, () => client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = uploadId, PartETags = done },
                cancellationToken)).ConfigureAwait(false);
            return (total, partNumber);
        }
        catch (Exception error)
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            // Parts still in flight end before the upload is aborted; their own failures are the same failure.
            foreach (var pending in inFlight)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Already reported through `error`.
                }
            }

            await AbortQuietlyAsync(client, key, relative, uploadId, error).ConfigureAwait(false);

            throw;
        }
    }

    // After a failed upload: aborts it so that its parts do not stay in the bucket; a failing abort is logged, not thrown
    // (the upload's own failure is what the caller needs to see).
    private async Task AbortQuietlyAsync(IAmazonS3 client, string key, string relative, string uploadId, Exception error)
    {
        LogUploadAborted(_logger, RootUri, relative, error);
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception abortError) when (abortError is AmazonClientException or HttpRequestException)
        {
            LogAbortFailed(_logger, uploadId, abortError);
        }
    }

    private async Task<PartETag> UploadPartAsync(IAmazonS3 client, string key, string relative, string uploadId, int partNumber, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await CallAsync("upload", relative, () => client.UploadPartAsync(
                new UploadPartRequest { BucketName = _location.Bucket, Key = key, UploadId = uploadId, PartNumber = partNumber, PartSize = length, InputStream = body },
                cancellationToken)).ConfigureAwait(false);
            return new PartETag(partNumber, response.ETag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactFileInfo>> ListAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var relative = S3Location.CheckedPath(path);
        var prefix = _location.FolderPrefixOf(relative);
        using var activity = S3Diagnostics.Source.StartActivity("s3.list");
        activity?.SetTag("s3.bucket", _location.Bucket);
        activity?.SetTag("s3.prefix", prefix);
        var entries = new List<ArtifactFileInfo>();
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix, Delimiter = "/" };
        ListObjectsV2Response page;
        do
        {
            page = await CallAsync("list", relative, () => client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var folder in page.CommonPrefixes ?? [])
            {
                entries.Add(new ArtifactFileInfo(_location.RelativeOf(folder.TrimEnd('/')), true, null));
            }

            foreach (var item in page.S3Objects ?? [])
            {
                // A zero-byte "folder marker" (key = the listed prefix) is the folder itself, not a file in it.
                if (item.Key != prefix)
                {
                    entries.Add(new ArtifactFileInfo(_location.RelativeOf(item.Key), false, item.Size));
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string artifactFile, CancellationToken cancellationToken = default)
    {
        var relative = S3Location.CheckedPath(artifactFile);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path '': it names the artifact root, which is a folder; give the path of a file.");
        }

        // The lease goes with the stream: the client stays alive until the caller has read and disposed it.
        var lease = S3Clients.Rent(_options);
        try
        {
            var client = lease.Client;
            var response = await CallAsync("download", relative, () => client.GetObjectAsync(
                new GetObjectRequest { BucketName = _location.Bucket, Key = _location.KeyOf(relative) }, cancellationToken)).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            // Counted and logged once, when the stream is closed: every reader (a file download, the proxy's GET, a model load).
            return new S3ReadStream(response, lease, read =>
            {
                S3Diagnostics.BytesDownloaded.Add(read);
                LogDownload(relative, read, Stopwatch.GetElapsedTime(started));
            });
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var relative = S3Location.CheckedPath(artifactPath);
        using var activity = S3Diagnostics.Source.StartActivity("s3.download");
        activity?.SetTag("s3.bucket", _location.Bucket);
        activity?.SetTag("s3.key", _location.KeyOf(relative));
        var files = await ListFilesUnderAsync(relative, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(destinationDirectory);
        if (files.Count == 0)
        {
            if (relative.Length == 0)
            {
                return destinationDirectory;
            }

            // Not a folder: a single file (or nothing, which OpenReadAsync reports).
            var target = Path.Combine(destinationDirectory, relative[(relative.LastIndexOf('/') + 1)..]);
            await DownloadFileAsync(relative, target, cancellationToken).ConfigureAwait(false);
            return target;
        }

        var destination = relative.Length == 0 ? destinationDirectory : Path.Combine(destinationDirectory, relative[(relative.LastIndexOf('/') + 1)..]);
        Directory.CreateDirectory(destination);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var under = relative.Length == 0 ? file : file[(relative.Length + 1)..];

            // Keys were checked when listed; resolving under the destination keeps a hostile key from writing elsewhere.
            var target = ArtifactPath.ResolveUnderRoot(destination, under);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await DownloadFileAsync(file, target, cancellationToken).ConfigureAwait(false);
        }

        return destination;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string artifactPath, CancellationToken cancellationToken = default)
    {
        var relative = S3Location.CheckedPath(artifactPath);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid path: an artifact root cannot be deleted.");
        }

        var keys = (await ListFilesUnderAsync(relative, cancellationToken).ConfigureAwait(false)).Select(_location.KeyOf).Append(_location.KeyOf(relative)).ToList();

        // DeleteObjects takes at most 1,000 keys a call.
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        foreach (var batch in keys.Chunk(1000))
        {
            await CallAsync("delete", relative, () => client.DeleteObjectsAsync(
                new DeleteObjectsRequest { BucketName = _location.Bucket, Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(), Quiet = true },
                cancellationToken)).ConfigureAwait(false);
        }

        LogDeleted(_logger, RootUri, relative, keys.Count - 1);
    }

    /// <inheritdoc />
    /// <remarks>
    /// S3's <c>CreateMultipartUpload</c>, then one presigned <c>UploadPart</c> URL a part (valid for an hour) that the client PUTs
    /// the part to, straight to S3; the object gets the Content-Type its name implies, as <see cref="WriteAsync"/> gives it.
    /// </remarks>
    public async Task<ArtifactMultipartUpload> CreateMultipartUploadAsync(string artifactFile, int partCount, CancellationToken cancellationToken = default)
    {
        var relative = CheckedFile(artifactFile);
        if (partCount is < 1 or > MaxParts)
        {
            throw MlflowException.InvalidParameter($"A multipart upload has 1 to {MaxParts} parts, not {partCount}: give num_parts in that range (larger parts for a larger file).");
        }

        var key = _location.KeyOf(relative);
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        var initiated = await CallAsync("multipart upload", relative, () => client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key, ContentType = ContentTypes.Of(relative) },
            cancellationToken)).ConfigureAwait(false);

        // An endpoint given as http:// (MinIO, moto) is presigned as http://; the SDK's default is https.
        var protocol = _options.EndpointUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS;
        var expires = DateTime.UtcNow + PresignedUrlLifetime;
        var parts = new List<ArtifactPartUpload>(partCount);
        try
        {
            for (var number = 1; number <= partCount; number++)
            {
                var request = new GetPreSignedUrlRequest
                {
                    BucketName = _location.Bucket,
                    Key = key,
                    Verb = HttpVerb.PUT,
                    UploadId = initiated.UploadId,
                    PartNumber = number,
                    Expires = expires,
                    Protocol = protocol,
                };
                var url = await CallAsync("multipart upload", relative, () => client.GetPreSignedURLAsync(request)).ConfigureAwait(false);
                parts.Add(new ArtifactPartUpload(number, url));
            }
        }
        catch (MlflowException error)
        {
            // The client never learns this upload's id, so nothing else would ever abort it.
            await AbortQuietlyAsync(client, key, relative, initiated.UploadId, error).ConfigureAwait(false);

            throw;
        }

        LogMultipartCreated(_logger, initiated.UploadId, RootUri, relative, partCount);
        return new ArtifactMultipartUpload(initiated.UploadId, parts);
    }

    /// <inheritdoc />
    public async Task CompleteMultipartUploadAsync(string artifactFile, string uploadId, IReadOnlyList<ArtifactUploadedPart> parts, CancellationToken cancellationToken = default)
    {
        var relative = CheckedFile(artifactFile);
        ArgumentException.ThrowIfNullOrEmpty(uploadId);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw MlflowException.InvalidParameter("Completing a multipart upload needs its parts: give each part's part_number and the etag its upload answered.");
        }

        var etags = new List<PartETag>(parts.Count);
        foreach (var part in parts.OrderBy(p => p.PartNumber))
        {
            if (part.PartNumber is < 1 or > MaxParts || string.IsNullOrEmpty(part.ETag))
            {
                throw MlflowException.InvalidParameter($"Invalid part {part.PartNumber} of multipart upload: a part has a part_number from 1 to {MaxParts} and the etag its upload answered.");
            }

            if (etags.Count > 0 && etags[^1].PartNumber == part.PartNumber)
            {
                throw MlflowException.InvalidParameter($"Part {part.PartNumber} is given twice: give each part of the multipart upload once.");
            }

            etags.Add(new PartETag(part.PartNumber, part.ETag));
        }

        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        await CallAsync("multipart upload", relative, () => client.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = _location.Bucket, Key = _location.KeyOf(relative), UploadId = uploadId, PartETags = etags },
            cancellationToken)).ConfigureAwait(false);
        LogMultipartCompleted(_logger, uploadId, RootUri, relative, etags.Count);
    }

    /// <inheritdoc />
    public async Task AbortMultipartUploadAsync(string artifactFile, string uploadId, CancellationToken cancellationToken = default)
    {
        var relative = CheckedFile(artifactFile);
        ArgumentException.ThrowIfNullOrEmpty(uploadId);
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        await CallAsync("multipart upload", relative, () => client.AbortMultipartUploadAsync(
            new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = _location.KeyOf(relative), UploadId = uploadId },
            cancellationToken)).ConfigureAwait(false);
        LogMultipartAborted(_logger, uploadId, RootUri, relative);
    }

    /// <summary>Describes the repository: its root URI.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"S3ArtifactRepository({RootUri})";

    private static string CheckedFile(string artifactFile)
    {
        var relative = S3Location.CheckedPath(artifactFile);
        return relative.Length > 0 ? relative : throw MlflowException.InvalidParameter("Invalid artifact path '': an artifact file needs a name.");
    }

    /// <summary>Every file under a folder (all levels), as artifact paths, through every page of the listing.</summary>
    private async Task<List<string>> ListFilesUnderAsync(string relative, CancellationToken cancellationToken)
    {
        var prefix = _location.FolderPrefixOf(relative);
        var files = new List<string>();
        using var lease = S3Clients.Rent(_options);
        var client = lease.Client;
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await CallAsync("list", relative, () => client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.Key != prefix && !item.Key.EndsWith('/'))
                {
                    files.Add(_location.RelativeOf(item.Key));
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return files;
    }

    private async Task DownloadFileAsync(string relative, string target, CancellationToken cancellationToken)
    {
        await using var source = await OpenReadAsync(relative, cancellationToken).ConfigureAwait(false);
        await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
        await source.CopyToAsync(output, CopyBufferSize, cancellationToken).ConfigureAwait(false);
    }

    private void LogDownload(string relative, long bytes, TimeSpan elapsed)
    {
        if (elapsed >= SlowTransfer)
        {
            LogSlowDownload(_logger, bytes, RootUri, relative, elapsed.TotalSeconds);
        }
        else
        {
            LogDownloaded(_logger, bytes, RootUri, relative, elapsed.TotalMilliseconds);
        }
    }

    private static FileStream OpenLocal(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Runs one S3 call and turns the SDK's failures into short, typed errors that say what to do.</summary>
    private async Task<T> CallAsync<T>(string operation, string relative, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (error is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            var mapped = S3Errors.Map(error, operation, _location, relative, _options.EndpointUrl);
            LogFailed(_logger, operation, RootUri, relative, error);
            throw mapped;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Uploaded {Bytes} bytes to {Root} / {Path} in {Parts} part(s) in {Milliseconds} ms.")]
    private static partial void LogUploaded(ILogger logger, long bytes, string root, string path, int parts, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Downloaded {Bytes} bytes from {Root} / {Path} in {Milliseconds} ms.")]
    private static partial void LogDownloaded(ILogger logger, long bytes, string root, string path, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded {Bytes} bytes to {Root} / {Path} in {Parts} part(s) in {Seconds:F1} s (a slow transfer).")]
    private static partial void LogSlowUpload(ILogger logger, long bytes, string root, string path, int parts, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded {Bytes} bytes from {Root} / {Path} in {Seconds:F1} s (a slow transfer).")]
    private static partial void LogSlowDownload(ILogger logger, long bytes, string root, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started multipart upload {UploadId} of {Root} / {Path} in {Parts} part(s) sent by the client.")]
    private static partial void LogMultipartCreated(ILogger logger, string uploadId, string root, string path, int parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Completed multipart upload {UploadId} of {Root} / {Path} ({Parts} part(s)).")]
    private static partial void LogMultipartCompleted(ILogger logger, string uploadId, string root, string path, int parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aborted multipart upload {UploadId} of {Root} / {Path}.")]
    private static partial void LogMultipartAborted(ILogger logger, string uploadId, string root, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Root} / {Path} ({Count} object(s) under it).")]
    private static partial void LogDeleted(ILogger logger, string root, string path, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 {Operation} of {Root} / {Path} failed.")]
    private static partial void LogFailed(ILogger logger, string operation, string root, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Multipart upload to {Root} / {Path} failed; aborting it.")]
    private static partial void LogUploadAborted(ILogger logger, string root, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborting multipart upload {UploadId} failed; its parts stay in the bucket until a lifecycle rule removes them.")]
    private static partial void LogAbortFailed(ILogger logger, string uploadId, Exception error);
}
