namespace MlWorkflow.Tracking.Artifacts;

/// <summary>
/// Stores the artifacts of one run under a root URI. Paths are relative to that root, use <c>/</c>
/// separators, and can never leave it: <c>..</c> segments, absolute paths, drive letters, NUL and
/// links that point outside the root are refused with <see cref="ErrorCode.InvalidParameterValue"/>.
/// </summary>
public interface IArtifactRepository
{
    /// <summary>The root URI of the artifacts, such as <c>file:///srv/mlruns/1/abc/artifacts</c>.</summary>
    string RootUri { get; }

    /// <summary>Copies a local file to <c>&lt;artifactPath&gt;/&lt;file name&gt;</c>.</summary>
    /// <param name="localFile">The file to copy.</param>
    /// <param name="artifactPath">The folder under the root; null or empty for the root itself.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The artifact path of the stored file.</returns>
    Task<string> LogFileAsync(string localFile, string? artifactPath = null, CancellationToken cancellationToken = default);

    /// <summary>Copies the contents of a local folder, recursively, under <paramref name="artifactPath"/>.</summary>
    /// <param name="localDirectory">The folder whose contents to copy.</param>
    /// <param name="artifactPath">The folder under the root; null or empty for the root itself.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when every file is stored.</returns>
    Task LogDirectoryAsync(string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a stream to an artifact file, replacing any file of that path.</summary>
    /// <param name="artifactFile">The file path under the root, such as <c>notes/readme.txt</c>.</param>
    /// <param name="content">The bytes to write, read to their end.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is stored.</returns>
    Task WriteAsync(string artifactFile, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Lists one level of a folder, sorted by path.</summary>
    /// <param name="path">The folder under the root; null or empty for the root.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The entries, with paths relative to the root; empty when the folder does not exist.</returns>
    Task<IReadOnlyList<ArtifactFileInfo>> ListAsync(string? path = null, CancellationToken cancellationToken = default);

    /// <summary>Opens an artifact file for reading.</summary>
    /// <param name="artifactFile">The file path under the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A readable stream; the caller disposes it.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> when there is no such file.</exception>
    Task<Stream> OpenReadAsync(string artifactFile, CancellationToken cancellationToken = default);

    /// <summary>Copies an artifact file or folder (recursively) into a local folder.</summary>
    /// <param name="artifactPath">The file or folder under the root; null or empty for everything.</param>
    /// <param name="destinationDirectory">The local folder to copy into; created when missing.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The local path of the copied file or folder.</returns>
    Task<string> DownloadAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default);
}
