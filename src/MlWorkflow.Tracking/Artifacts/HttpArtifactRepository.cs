using System.Net.Http.Headers;
using System.Text.Json;
using MlWorkflow.Tracking.Protocol;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Tracking.Artifacts;

/// <summary>
/// Artifacts behind an MLflow tracking server's proxy (<c>mlflow-artifacts:</c> URIs and explicit
/// <c>http(s)://…/api/2.0/mlflow-artifacts/artifacts/…</c> URIs): uploads are single PUTs streamed from the file,
/// downloads are streamed to disk, listings are one level and re-prefixed with the listed folder, as MLflow's client does.
/// </summary>
/// <remarks>Requests go through the tracking store's credentials and retry pipeline; an upload is retried only when its
/// source can be read again (a file, or a seekable stream).</remarks>
public sealed class HttpArtifactRepository : IArtifactRepository, IDisposable
{
    private const string ArtifactsApiPath = "/api/2.0/mlflow-artifacts/artifacts";
    private const int CopyBufferSize = 81920;
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly RestTransport _transport;
    private readonly bool _ownsTransport;
    private readonly string _artifactsBaseUrl;
    private readonly string _rootPath;

    /// <summary>Creates a repository for an artifact URI, resolving <c>mlflow-artifacts:</c> against a tracking URI as MLflow does.</summary>
    /// <param name="artifactUri">The root, such as <c>mlflow-artifacts:/1/5f0c…/artifacts</c>.</param>
    /// <param name="trackingUri">The tracking server (http or https).</param>
    /// <param name="options">Credentials, TLS, retries; null for <see cref="RestStoreOptions.FromEnvironment()"/>.</param>
    /// <param name="httpClient">The client to send with; null to create one.</param>
    public HttpArtifactRepository(string artifactUri, Uri trackingUri, RestStoreOptions? options = null, HttpClient? httpClient = null)
        : this(artifactUri, new RestTransport(trackingUri, options ?? RestStoreOptions.FromEnvironment(), httpClient), ownsTransport: true)
    {
    }

    internal HttpArtifactRepository(string artifactUri, RestTransport transport, bool ownsTransport = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        _transport = transport;
        _ownsTransport = ownsTransport;
        RootUri = artifactUri;
        (_artifactsBaseUrl, _rootPath) = Resolve(artifactUri, transport.BaseUri);
    }

    /// <inheritdoc />
    public string RootUri { get; }

    /// <summary>The HTTP URL of the root folder, such as <c>http://host:5000/api/2.0/mlflow-artifacts/artifacts/1/5f0c…/artifacts</c>.</summary>
    public string RootUrl => _rootPath.Length == 0 ? _artifactsBaseUrl : _artifactsBaseUrl + "/" + Escape(_rootPath);

    /// <summary>
    /// Resolves an artifact URI to the artifacts API base URL and the path under it (https://mlflow.org/docs/latest/tracking/artifacts-stores.html):
    /// <c>mlflow-artifacts:/p</c> uses the tracking URI; <c>mlflow-artifacts://host:port/p</c> that host with the tracking
    /// URI's scheme; an http(s) URI must contain <c>/api/2.0/mlflow-artifacts/artifacts</c>.
    /// </summary>
    internal static (string BaseUrl, string RootPath) Resolve(string artifactUri, Uri trackingUri)
    {
        const string scheme = "mlflow-artifacts:";
        var tracking = trackingUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (artifactUri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = artifactUri[scheme.Length..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var slash = rest.IndexOf('/', 2);
                var authority = slash < 0 ? rest[2..] : rest[2..slash];
                var path = slash < 0 ? string.Empty : rest[slash..];
                if (authority.Length > 0)
                {
                    return (trackingUri.Scheme + "://" + authority + ArtifactsApiPath, CleanPath(path, artifactUri));
                }

                rest = path;
            }

            return (tracking + ArtifactsApiPath, CleanPath(rest, artifactUri));
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var http) && (http.Scheme == Uri.UriSchemeHttp || http.Scheme == Uri.UriSchemeHttps))
        {
            var path = http.AbsolutePath;
            var at = path.IndexOf(ArtifactsApiPath, StringComparison.Ordinal);
            if (at >= 0 && (path.Length == at + ArtifactsApiPath.Length || path[at + ArtifactsApiPath.Length] == '/'))
            {
                var baseUrl = http.GetLeftPart(UriPartial.Authority) + path[..(at + ArtifactsApiPath.Length)];
                return (baseUrl, CleanPath(Uri.UnescapeDataString(path[(at + ArtifactsApiPath.Length)..]), artifactUri));
            }
        }

        throw MlflowException.InvalidParameter($"'{artifactUri}' is not an mlflow-artifacts URI nor an http(s) URI of the mlflow-artifacts API ({ArtifactsApiPath}).");
    }

    /// <inheritdoc />
    public async Task<string> LogFileAsync(string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localFile);
        if (!File.Exists(localFile))
        {
            throw new FileNotFoundException($"Cannot log artifact: the file '{localFile}' does not exist.", localFile);
        }

        var relative = ArtifactPath.Combine(artifactPath, Path.GetFileName(localFile));
        await UploadAsync(relative, () => new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan), ownsStream: true, retry: true, cancellationToken).ConfigureAwait(false);
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

        var prefix = ArtifactPath.Normalize(artifactPath);
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            var directory = Path.GetDirectoryName(relative.Replace('/', Path.DirectorySeparatorChar));
            await LogFileAsync(file, ArtifactPath.Combine(prefix, directory?.Replace(Path.DirectorySeparatorChar, '/')), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(string artifactFile, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ArtifactPath.Normalize(artifactFile);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path '': an artifact file needs a name.");
        }

        var start = content.CanSeek ? content.Position : 0;
        return UploadAsync(
            relative,
            () =>
            {
                if (content.CanSeek)
                {
                    content.Position = start;
                }

                return content;
            },
            ownsStream: false,
            retry: content.CanSeek,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactFileInfo>> ListAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Normalize(path);
        var listed = ArtifactPath.Combine(_rootPath, relative);
        var url = _artifactsBaseUrl + RestTransport.QueryString([new("path", listed.Length == 0 ? null : listed)]);
        using var response = await _transport.SendAsync("mlflow-artifacts list", () => new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseContentRead, retry: true, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        ListArtifactsResponse? body;
        try
        {
            body = JsonSerializer.Deserialize(bytes, RestJsonContext.Default.ListArtifactsResponse);
        }
        catch (JsonException e)
        {
            throw new MlflowException(ErrorCode.InternalError, $"The artifact listing of '{listed}' is not MLflow's JSON: {e.Message}", e);
        }

        var entries = new List<ArtifactFileInfo>();
        foreach (var file in body?.Files ?? [])
        {
            // The server answers base names; a name that is not one plain segment would lead outside the listed folder.
            var name = ArtifactPath.Normalize(file.Path, "artifact name from the server");
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                throw new MlflowException(ErrorCode.InternalError, $"The server listed an invalid artifact name '{file.Path}' under '{listed}'.");
            }

            var isDirectory = file.IsDir ?? false;
            entries.Add(new ArtifactFileInfo(ArtifactPath.Combine(relative, name), isDirectory, isDirectory ? null : file.FileSize));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string artifactFile, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Normalize(artifactFile);
        var url = FileUrl(relative);
        var response = await _transport.SendAsync("mlflow-artifacts download", () => new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, retry: true, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(stream, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var relative = ArtifactPath.Normalize(artifactPath);
        Directory.CreateDirectory(destinationDirectory);
        var listing = await ListAsync(relative, cancellationToken).ConfigureAwait(false);
        if (listing.Count == 0 && relative.Length > 0)
        {
            // Not a folder with entries: a file (or nothing, which the GET reports as not found).
            var target = Path.Combine(destinationDirectory, relative[(relative.LastIndexOf('/') + 1)..]);
            await DownloadFileAsync(relative, target, cancellationToken).ConfigureAwait(false);
            return target;
        }

        var destination = relative.Length == 0 ? destinationDirectory : Path.Combine(destinationDirectory, relative[(relative.LastIndexOf('/') + 1)..]);
        Directory.CreateDirectory(destination);
        await DownloadFolderAsync(listing, destination, relative, cancellationToken).ConfigureAwait(false);
        return destination;
    }

    /// <summary>Releases the HTTP client when this repository created it.</summary>
    public void Dispose()
    {
        if (_ownsTransport)
        {
            _transport.Dispose();
        }
    }

    private static string CleanPath(string path, string artifactUri)
    {
        try
        {
            return ArtifactPath.Normalize(path.TrimStart('/'), "artifact URI path");
        }
        catch (MlflowException e)
        {
            throw MlflowException.InvalidParameter($"Invalid artifact URI '{artifactUri}': {e.Message}");
        }
    }

    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private string FileUrl(string relative) => _artifactsBaseUrl + "/" + Escape(ArtifactPath.Combine(_rootPath, relative));

    private async Task UploadAsync(string relative, Func<Stream> openSource, bool ownsStream, bool retry, CancellationToken cancellationToken)
    {
        var url = FileUrl(relative);
        using var response = await _transport.SendAsync(
            "mlflow-artifacts upload",
            () => new HttpRequestMessage(HttpMethod.Put, url) { Content = new UploadContent(openSource(), ownsStream) },
            HttpCompletionOption.ResponseContentRead,
            retry,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task DownloadFolderAsync(IReadOnlyList<ArtifactFileInfo> listing, string localFolder, string root, CancellationToken cancellationToken)
    {
        foreach (var entry in listing)
        {
            var local = ArtifactPath.ResolveUnderRoot(localFolder, root.Length == 0 ? entry.Path : entry.Path[(root.Length + 1)..]);
            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(local);
                var children = await ListAsync(entry.Path, cancellationToken).ConfigureAwait(false);
                await DownloadFolderAsync(children, localFolder, root, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                await DownloadFileAsync(entry.Path, local, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadFileAsync(string relative, string target, CancellationToken cancellationToken)
    {
        await using var source = await OpenReadAsync(relative, cancellationToken).ConfigureAwait(false);
        await ArtifactFileWriter.WriteAsync(source, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A request body copied from a stream as it is sent (never buffered whole).</summary>
    private sealed class UploadContent : HttpContent
    {
        private readonly Stream _source;
        private readonly bool _ownsSource;

        public UploadContent(Stream source, bool ownsSource)
        {
            _source = source;
            _ownsSource = ownsSource;
            Headers.ContentType = OctetStream;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            _source.CopyToAsync(stream, CopyBufferSize, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _source.CanSeek ? _source.Length - _source.Position : -1;
            return _source.CanSeek;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _ownsSource)
            {
                _source.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A download stream that releases its HTTP response when disposed.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
