namespace MlWorkflow.Server.Tests.Faults;

/// <summary>What the fault middleware does to a request.</summary>
internal enum FaultKind
{
    None,

    /// <summary>Answers 503 TEMPORARILY_UNAVAILABLE without running the request.</summary>
    ServiceUnavailable,

    /// <summary>Answers 429 with <c>Retry-After: 1</c> without running the request.</summary>
    TooManyRequests,

    /// <summary>Drops the connection without running the request.</summary>
    DropBefore,

    /// <summary>Runs the request, then drops the connection instead of answering.</summary>
    DropAfter,

    /// <summary>Runs the request, then answers later than the client's per-try timeout.</summary>
    SlowAfter,
}
