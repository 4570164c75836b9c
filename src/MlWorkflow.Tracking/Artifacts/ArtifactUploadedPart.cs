namespace MlWorkflow.Tracking.Artifacts;

/// <summary>One uploaded part of a multipart upload: its number and the ETag the store answered its PUT with.</summary>
public sealed class ArtifactUploadedPart
{
    /// <summary>Creates the description of an uploaded part.</summary>
    /// <param name="partNumber">The part's number, from 1.</param>
    /// <param name="eTag">The <c>ETag</c> header of the part's PUT answer.</param>
    public ArtifactUploadedPart(int partNumber, string eTag)
    {
        PartNumber = partNumber;
        ETag = eTag;
    }

    /// <summary>The part's number, from 1.</summary>
    public int PartNumber { get; }

    /// <summary>The <c>ETag</c> header of the part's PUT answer.</summary>
    public string ETag { get; }
}
