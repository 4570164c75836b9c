namespace MlWorkflow.Tracking.Artifacts;

/// <summary>A started multipart upload: its id and where each part goes (<see cref="IMultipartArtifactRepository.CreateMultipartUploadAsync"/>).</summary>
public sealed class ArtifactMultipartUpload
{
    /// <summary>Creates the description of a started upload.</summary>
    /// <param name="uploadId">The store's id of the upload.</param>
    /// <param name="parts">Where each part goes, in part order.</param>
    public ArtifactMultipartUpload(string uploadId, IReadOnlyList<ArtifactPartUpload> parts)
    {
        ArgumentException.ThrowIfNullOrEmpty(uploadId);
        ArgumentNullException.ThrowIfNull(parts);
        UploadId = uploadId;
        Parts = parts;
    }

    /// <summary>The store's id of the upload, given back to complete or abort it.</summary>
    public string UploadId { get; }

    /// <summary>Where each part goes, numbered from 1.</summary>
    public IReadOnlyList<ArtifactPartUpload> Parts { get; }
}
