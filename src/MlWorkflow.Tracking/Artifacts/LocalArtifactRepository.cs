using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Artifacts in a local folder (<c>file:</c> URIs and plain paths), as MLflow's file store keeps them.</summary>
/// <remarks>
/// Links never lead out of the root: the root folder itself must not be a link (its parents may be), writes and
/// reads refuse a path through a link that points outside, and downloads refuse a folder that holds such a link.
/// Names are checked before writing: each part at most 255 bytes in UTF-8, no part of the way an existing file.
/// </remarks>
public sealed partial class LocalArtifactRepository : IDeletableArtifactRepository
{
    private const int CopyBufferSize = 81920;
    private readonly ILogger _logger;

    /// <summary>Creates a repository over a local folder.</summary>
    /// <param name="rootUriOrPath">A <c>file:</c> URI or a local path; the folder is created on the first write.</param>
    public LocalArtifactRepository(string rootUriOrPath)
        : this(rootUriOrPath, null)
    {
    }

    /// <summary>Creates a repository over a local folder that logs its writes and failed writes.</summary>
    /// <param name="rootUriOrPath">A <c>file:</c> URI or a local path; the folder is created on the first write.</param>
    /// <param name="loggerFactory">Where writes (Debug) and failed writes (Warning) are logged, under the category of this type; null logs nothing.</param>
    public LocalArtifactRepository(string rootUriOrPath, ILoggerFactory? loggerFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootUriOrPath);
        _logger = loggerFactory?.CreateLogger<LocalArtifactRepository>() ?? (ILogger)NullLogger.Instance;
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

        CheckRootIsNoLink();
        CheckNameBytes(relative);
        var target = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        if (Directory.Exists(target))
        {
            throw MlflowException.InvalidParameter($"Cannot write artifact '{Excerpt(relative)}': a folder of that name exists.");
        }

        CheckNoFileOnTheWay(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        var started = Stopwatch.GetTimestamp();
        try
        {
            await ArtifactFileWriter.WriteAsync(content, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, RootUri, relative, error);
            throw;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var bytes = new FileInfo(target).Length;
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogWritten(_logger, bytes, RootUri, relative, milliseconds);
        }
    }

    /// <inheritdoc />
    /// <remarks>A link inside the root is deleted, not what it points to; a path through a link that points outside is refused.</remarks>
    public Task DeleteAsync(string artifactPath, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Normalize(artifactPath);
        if (relative.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid path: an artifact root cannot be deleted.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        CheckRootIsNoLink();
        var target = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        FileSystemInfo info = Directory.Exists(target) ? new DirectoryInfo(target) : new FileInfo(target);
        if (!info.Exists)
        {
            return Task.CompletedTask;
        }

        if (info is DirectoryInfo folder && info.LinkTarget is null)
        {
            folder.Delete(recursive: true);
        }
        else
        {
            info.Delete();
        }

        LogDeleted(_logger, RootUri, relative);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Root} / {Path}.")]
    private static partial void LogDeleted(ILogger logger, string root, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote {Bytes} bytes to {Root} / {Path} in {Milliseconds} ms.")]
    private static partial void LogWritten(ILogger logger, long bytes, string root, string path, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Root} / {Path} failed.")]
    private static partial void LogWriteFailed(ILogger logger, string root, string path, Exception error);

    private void CheckRootIsNoLink()
    {
        if (Stores.File.KeyFiles.IsLink(RootDirectory))
        {
            throw MlflowException.InvalidParameter("The artifact root folder is a link, which the store does not follow: point the artifact location at the real folder.");
        }
    }

    /// <summary>Refuses a name part longer than a file name can be (255 bytes in UTF-8), before anything is written.</summary>
    private static void CheckNameBytes(string relative)
    {
        foreach (var part in relative.Split('/'))
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(part);
            if (bytes > Stores.File.KeyFiles.MaxNameBytes)
            {
                throw MlflowException.InvalidParameter($"Cannot write artifact '{Excerpt(relative)}': its part '{Excerpt(part)}' is {bytes} bytes in UTF-8, and a file name holds at most {Stores.File.KeyFiles.MaxNameBytes}. Use a shorter name.");
            }
        }
    }

    /// <summary>Refuses a path under an existing file (<c>f.txt/child</c>) with a clear error rather than the file system's.</summary>
    private void CheckNoFileOnTheWay(string relative)
    {
        var parts = relative.Split('/');
        var current = RootDirectory;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (File.Exists(current))
            {
                throw MlflowException.InvalidParameter($"Cannot write artifact '{Excerpt(relative)}': '{Excerpt(string.Join('/', parts, 0, i + 1))}' is a file, so nothing can be written under it.");
            }
        }
    }

    private static string Excerpt(string text) => Stores.File.KeyFiles.Excerpt(text);

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
        CheckRootIsNoLink();
        var source = ArtifactPath.ResolveUnderRoot(RootDirectory, relative);
        if (!File.Exists(source))
        {
            throw MlflowException.NotFound($"Artifact '{Excerpt(relative)}' does not exist.");
        }

        Stream stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var relative = ArtifactPath.Normalize(artifactPath);
        CheckRootIsNoLink();
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
            throw MlflowException.NotFound($"Artifact '{Excerpt(relative)}' does not exist.");
        }

        var destination = relative.Length == 0 ? destinationDirectory : Path.Combine(destinationDirectory, Path.GetFileName(source));

        // Walk the folder first without following links, so that a link out of the root (or a dangling one) stops the download before anything is copied.
        var files = new List<string>();
        var folders = new List<string>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(source));
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                var entryRelative = Path.GetRelativePath(RootDirectory, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null)
                {
                    // Refused like OpenReadAsync when it leads outside the root, and clearly when it leads nowhere.
                    var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                    if (target is null || !(File.Exists(target.FullName) || Directory.Exists(target.FullName)))
                    {
                        throw MlflowException.NotFound($"Cannot download artifact '{Excerpt(entryRelative)}': it is a link whose target does not exist.");
                    }

                    ArtifactPath.ResolveUnderRoot(RootDirectory, entryRelative);
                }

                if (entry is DirectoryInfo directory)
                {
                    folders.Add(directory.FullName);
                    if (entry.LinkTarget is null)
                    {
                        pending.Push(directory);
                    }
                    else
                    {
                        throw MlflowException.InvalidParameter($"Cannot download artifact '{Excerpt(entryRelative)}': it is a link to a folder, which downloads do not follow.");
                    }
                }
                else
                {
                    files.Add(entry.FullName);
                }
            }
        }

        Directory.CreateDirectory(destination);
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, folder)));
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CopyFileAsync(file, Path.Combine(destination, Path.GetRelativePath(source, file)), cancellationToken).ConfigureAwait(false);
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
