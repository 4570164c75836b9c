namespace MlWorkflow.Server.Auth;

/// <summary>The outcome of reading a request's credentials: the user, or none (no credentials or wrong ones), with the wait asked of a client after repeated failures.</summary>
internal sealed record AuthResult(AuthUser? User, TimeSpan RetryAfter)
{
    /// <summary>No user: the request gave no credentials or wrong ones; no wait.</summary>
    public static readonly AuthResult Refused = new(null, TimeSpan.Zero);
}
