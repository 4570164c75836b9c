using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests;

/// <summary>REST options with a small retry budget, so that tests stay fast.</summary>
internal static class FastRetries
{
    public static RestStoreOptions Options(int maxRetries = 3, double requestTimeoutSeconds = 10) => new()
    {
        MaxRetries = maxRetries,
        BackoffFactor = TimeSpan.FromMilliseconds(20),
        BackoffJitter = TimeSpan.FromMilliseconds(10),
        RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds),
        OverallTimeout = TimeSpan.FromSeconds(60),
    };
}
