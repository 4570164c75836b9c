namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Where one part of a multipart upload goes: a presigned URL the client PUTs the part's bytes to, with these headers.</summary>
public sealed class ArtifactPartUpload
{
    /// <summary>Creates the description of one part's upload.</summary>
    /// <param name="partNumber">The part's number, from 1.</param>
    /// <param name="url">The presigned URL the part is PUT to.</param>
    /// <param name="headers">Headers the PUT must send; the default value is null: none.</param>
    public ArtifactPartUpload(int partNumber, string url, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentException.ThrowIfNullOrEmpty(url);
        PartNumber = partNumber;
        Url = url;
        Headers = headers ?? new Dictionary<string, string>();
    }

    /// <summary>The part's number, from 1.</summary>
    public int PartNumber { get; }

    /// <summary>The presigned URL the part's bytes are PUT to (straight to the store, not through the server).</summary>
    public string Url { get; }

    /// <summary>Headers the PUT must send (empty when none).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }
}
