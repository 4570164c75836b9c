namespace MlWorkflow.Server.Idempotency;

/// <summary>What a write holding an <c>Idempotency-Key</c> must do.</summary>
internal enum IdempotencyClaim
{
    /// <summary>The key is new: run the write.</summary>
    Run,

    /// <summary>
    /// The key was seen before but its outcome is unknown (the write failed, or the server stopped while it ran): run the
    /// write again, leaving out what the first attempt may already have stored.
    /// </summary>
    RunAgain,

    /// <summary>The write was applied: answer with the remembered response.</summary>
    Replay,
}
