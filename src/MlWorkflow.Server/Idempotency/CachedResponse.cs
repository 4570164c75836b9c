namespace MlWorkflow.Server.Idempotency;

/// <summary>A remembered answer of an applied write: status, content type and body.</summary>
internal sealed record CachedResponse(int StatusCode, string? ContentType, byte[] Body)
{
    /// <summary>What the answer costs in memory, roughly: its body, its content type and the object headers.</summary>
    public long Bytes => Body.Length + ((ContentType?.Length ?? 0) * 2) + 96;
}
