namespace MlWorkflow.Server.Tests.Faults;

/// <summary>A store whose run searches fail with an unexpected exception whose message names a server path: a server bug, as the client must not see it.</summary>
internal sealed class FailingSearchStore(ITrackingStore inner) : DelegatingTrackingStore(inner)
{
    public const string Secret = "/srv/secret/mlruns/0/meta.yaml";

    public override Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromException<PagedList<Run>>(new InvalidOperationException($"Unexpected state in {Secret}"));
}
