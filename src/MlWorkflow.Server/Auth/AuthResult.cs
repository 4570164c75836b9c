namespace MlWorkflow.Server.Auth;

/// <summary>The outcome of reading a request's credentials: the user, or why not (no credentials, wrong ones, or a wait after failures).</summary>
internal sealed record AuthResult(AuthUser? User, bool CredentialsGiven, TimeSpan RetryAfter)
{
    public static readonly AuthResult Missing = new(null, false, TimeSpan.Zero);

    public static readonly AuthResult Failed = new(null, true, TimeSpan.Zero);
}
