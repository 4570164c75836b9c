namespace MlWorkflow.Tracking.Artifacts;

/// <summary>
/// An artifact repository whose clients can upload a large file in parts straight to the store, as MLflow's proxied multipart
/// upload does (MLflow's artifact store documentation, https://mlflow.org/docs/latest/tracking/artifacts-stores.html): the server
/// starts the upload and hands out one presigned URL a part, the client PUTs each part to its URL and reports the parts' ETags,
/// and the server completes (or aborts) the upload.
/// </summary>
public interface IMultipartArtifactRepository : IArtifactRepository
{
    /// <summary>Starts a multipart upload of one artifact file and presigns the upload of each of its parts.</summary>
    /// <param name="artifactFile">The artifact's path relative to the root, such as <c>data/big.bin</c>.</param>
    /// <param name="partCount">How many parts the client sends, from 1 to 10,000 (S3's limit).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The upload's id and the URL of each part, numbered from 1.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a path that would leave the root or a part count out of range.</exception>
    Task<ArtifactMultipartUpload> CreateMultipartUploadAsync(string artifactFile, int partCount, CancellationToken cancellationToken = default);

    /// <summary>Completes a multipart upload from the parts the client uploaded: the artifact then exists, whole.</summary>
    /// <param name="artifactFile">The artifact's path, as given to <see cref="CreateMultipartUploadAsync"/>.</param>
    /// <param name="uploadId">The upload's id.</param>
    /// <param name="parts">Each part's number and the ETag its upload answered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the artifact is written.</returns>
    Task CompleteMultipartUploadAsync(string artifactFile, string uploadId, IReadOnlyList<ArtifactUploadedPart> parts, CancellationToken cancellationToken = default);

    /// <summary>Aborts a multipart upload: the parts already uploaded are discarded and no artifact is written.</summary>
    /// <param name="artifactFile">The artifact's path, as given to <see cref="CreateMultipartUploadAsync"/>.</param>
    /// <param name="uploadId">The upload's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the upload is aborted.</returns>
    Task AbortMultipartUploadAsync(string artifactFile, string uploadId, CancellationToken cancellationToken = default);
}
