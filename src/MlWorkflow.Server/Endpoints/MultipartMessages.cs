using System.Text.Json.Serialization;

namespace MlWorkflow.Server.Endpoints;

/// <summary>The body of <c>mpu/create</c>: the client's local file path (its name is the artifact's) and how many parts it sends.</summary>
internal sealed class CreateMultipartUploadBody
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("num_parts")]
    public long? NumParts { get; set; }
}

/// <summary>The answer of <c>mpu/create</c>: the upload's id and one presigned URL a part.</summary>
internal sealed class CreateMultipartUploadAnswer
{
    [JsonPropertyName("upload_id")]
    public string UploadId { get; set; } = string.Empty;

    [JsonPropertyName("credentials")]
    public List<MultipartCredential> Credentials { get; set; } = [];
}

/// <summary>Where one part goes: the URL the client PUTs it to, its number and the headers the PUT sends.</summary>
internal sealed class MultipartCredential
{
    [JsonPropertyName("url")]
    public string Url { get; set; } = string.Empty;

    [JsonPropertyName("part_number")]
    public int PartNumber { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; set; } = [];
}

/// <summary>The body of <c>mpu/complete</c>: the upload and each part's number and ETag (and URL, which is not needed).</summary>
internal sealed class CompleteMultipartUploadBody
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("upload_id")]
    public string? UploadId { get; set; }

    [JsonPropertyName("parts")]
    public List<MultipartPartBody>? Parts { get; set; }
}

/// <summary>One uploaded part as the client reports it.</summary>
internal sealed class MultipartPartBody
{
    [JsonPropertyName("part_number")]
    public long? PartNumber { get; set; }

    [JsonPropertyName("etag")]
    public string? ETag { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

/// <summary>The body of <c>mpu/abort</c>.</summary>
internal sealed class AbortMultipartUploadBody
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("upload_id")]
    public string? UploadId { get; set; }
}

/// <summary>The JSON of the multipart routes, generated at build time.</summary>
[JsonSerializable(typeof(CreateMultipartUploadBody))]
[JsonSerializable(typeof(CreateMultipartUploadAnswer))]
[JsonSerializable(typeof(CompleteMultipartUploadBody))]
[JsonSerializable(typeof(AbortMultipartUploadBody))]
internal sealed partial class MultipartJsonContext : JsonSerializerContext
{
}
