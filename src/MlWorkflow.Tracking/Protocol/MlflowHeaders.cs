namespace MlWorkflow.Tracking.Protocol;

/// <summary>The HTTP headers of the REST protocol that MlWorkflow's client and server add to MLflow's.</summary>
public static class MlflowHeaders
{
    /// <summary>
    /// The header that names one logical write across its retries (<c>Idempotency-Key</c>): a server that has already applied
    /// a write with the same key answers a replay with the first answer instead of applying it again. MlWorkflow's client
    /// sends it on every write unless <see cref="Stores.Rest.RestStoreOptions.SendIdempotencyKeys"/> is off; MLflow's own
    /// server ignores it.
    /// </summary>
    public const string IdempotencyKey = "Idempotency-Key";
}
