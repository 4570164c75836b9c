namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Artifacts in a local folder (<c>file:</c> URIs and plain paths), as MLflow's file store keeps them.</summary>
public sealed class LocalArtifactRepository : IArtifactRepository
{
    private const int CopyBufferSize = 81920;

    /// <summary>Creates a repository over a local folder.</summary>
    /// <param name="rootUriOrPath">A <c>file:</c> URI or a local path; the folder is created on the first write.</param>
    public LocalArtifactRepository(string rootUriOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootUriOrPath);
        RootDirectory = FileUris.ToPath(rootUriOrPath);
        RootUri = rootUriOrPath.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? rootUriOrPath
            : FileUris.FromPath(RootDirectory);
    }

    /// <inheritdoc />
    public string RootUri { get; }

    /// <summary>The absolute local folder that holds the artifacts.</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public async Task<string> LogFileAsync(string localFile, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localFile);
        if (!File.Exists(localFile))
        {
            throw new FileNotFoundException($"Cannot log artifact: the file '{localFile}' does not exist.", localFile);
        }

        var relative = ArtifactPath.Combine(artifactPath, Path.GetFileName(localFile));
        await using var source = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
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

        var prefix = ArtifactPath.Normalize(artifactPath);
        Directory.CreateDirectory(ArtifactPath.ResolveUnderRoot(RootDirectory, prefix));
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await WriteAsync(ArtifactPath.Combine(prefix, relative), source, cancellationToken).ConfigureAwait(false);
        }

        foreach (var folder in Directory.EnumerateDirectories(localDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(localDirectory, folder).Replace(Path.DirectorySeparatorChar, '/');
            Directory.CreateDirectory(ArtifactPath.ResolveUnderRoot(RootDirectory, ArtifactPath.Combine(prefix, relative)));
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(string artifactFile, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ArtifactPath.Normalize(artifactFile);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path '': an artifact file needs a name.");
        }

        var target = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        if (Directory.Exists(target))
        {
            throw MlflowException.InvalidParameter($"Cannot write artifact '{relative}': a folder of that name exists.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        await ArtifactFileWriter.WriteAsync(content, target, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ArtifactFileInfo>> ListAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Normalize(path);
        var folder = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult<IReadOnlyList<ArtifactFileInfo>>(Array.Empty<ArtifactFileInfo>());
        }

        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Select(info => info is DirectoryInfo
                ? new ArtifactFileInfo(ArtifactPath.Combine(relative, info.Name), true, null)
                : new ArtifactFileInfo(ArtifactPath.Combine(relative, info.Name), false, ((FileInfo)info).Length))
            .OrderBy(entry => entry.Path, StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult<IReadOnlyList<ArtifactFileInfo>>(entries);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string artifactFile, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Normalize(artifactFile);
        var source = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        if (!File.Exists(source))
        {
            throw MlflowException.NotFound($"Artifact '{relative}' does not exist under {RootUri}.");
        }

        Stream stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var relative = ArtifactPath.Normalize(artifactPath);
        var source = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        Directory.CreateDirectory(destinationDirectory);
        if (File.Exists(source))
        {
            var target = Path.Combine(destinationDirectory, Path.GetFileName(source));
            await CopyFileAsync(source, target, cancellationToken).ConfigureAwait(false);
            return target;
        }

        if (!Directory.Exists(source))
        {
            throw MlflowException.NotFound($"Artifact '{relative}' does not exist under {RootUri}.");
        }

        var destination = relative.Length == 0 ? destinationDirectory : Path.Combine(destinationDirectory, Path.GetFileName(source));
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await CopyFileAsync(file, target, cancellationToken).ConfigureAwait(false);
        }

        foreach (var folder in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, folder)));
        }

        return destination;
    }

    private static async Task CopyFileAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
        await input.CopyToAsync(output, CopyBufferSize, cancellationToken).ConfigureAwait(false);
    }
}
