using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>
/// The file stores' async methods report bad input and missing entities through the task they return, never by throwing
/// at the call: a caller that starts several calls and awaits them later sees every failure where it awaits.
/// </summary>
public class HonestAsyncTests : TempStoreFixture
{
    private static IEnumerable<TestCaseData> TrackingCalls()
    {
        yield return Case("GetRunAsync(bad id)", s => s.GetRunAsync("not/a run"));
        yield return Case("GetRunAsync(missing)", s => s.GetRunAsync("0123456789abcdef0123456789abcdef"));
        yield return Case("GetExperimentAsync(bad id)", s => s.GetExperimentAsync("../x"));
        yield return Case("SetExperimentTagAsync(bad key)", s => s.SetExperimentTagAsync("0", new ExperimentTag("../k", "v")));
        yield return Case("LogBatchAsync(bad id)", s => s.LogBatchAsync("not/a run", [], [], []));
        yield return Case("LogBatchAsync(bad metric)", s => s.LogBatchAsync("0123456789abcdef0123456789abcdef", [new Metric("../m", 1, 0, 0)], [], []));
        yield return Case("DeleteTagAsync(bad id)", s => s.DeleteTagAsync("not/a run", "k"));
        yield return Case("LogInputsAsync(bad id)", s => s.LogInputsAsync("not/a run", []));
        yield return Case("GetMetricHistoryAsync(bad id)", s => s.GetMetricHistoryAsync("not/a run", "m"));
        yield return Case("UpdateRunInfoAsync(bad id)", s => s.UpdateRunInfoAsync("not/a run", RunStatus.Finished, 1));
        yield return Case("DeleteRunAsync(bad id)", s => s.DeleteRunAsync("not/a run"));
        yield return Case("RestoreRunAsync(bad id)", s => s.RestoreRunAsync("not/a run"));
        yield return Case("CreateRunAsync(bad experiment)", s => s.CreateRunAsync(new CreateRunRequest { ExperimentId = "../x" }));
        yield return Case("SearchRunsAsync(no experiment)", s => s.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [] }));
        yield return Case("SearchRunsAsync(bad filter)", s => s.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"], Filter = "metrics.m >>> 1" }));
        yield return Case("SearchExperimentsAsync(bad filter)", s => s.SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name ==" }));
    }

    private static IEnumerable<TestCaseData> RegistryCalls()
    {
        yield return RegistryCase("GetRegisteredModelAsync(bad name)", s => s.GetRegisteredModelAsync("a/b"));
        yield return RegistryCase("GetRegisteredModelAsync(missing)", s => s.GetRegisteredModelAsync("missing"));
        yield return RegistryCase("CreateRegisteredModelAsync(bad tag)", s => s.CreateRegisteredModelAsync("m", [new RegisteredModelTag("../k", "v")]));
        yield return RegistryCase("GetModelVersionAsync(bad version)", s => s.GetModelVersionAsync("m", 0));
        yield return RegistryCase("GetLatestVersionsAsync(bad name)", s => s.GetLatestVersionsAsync("a/b"));
        yield return RegistryCase("SetRegisteredModelAliasAsync(bad alias)", s => s.SetRegisteredModelAliasAsync("m", "bad alias!", 1));
        yield return RegistryCase("SearchRegisteredModelsAsync(bad filter)", s => s.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "name ==" }));
        yield return RegistryCase("SearchModelVersionsAsync(bad filter)", s => s.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "version_number >>> 1" }));
    }

    [TestCaseSource(nameof(TrackingCalls))]
    public async Task A_failing_tracking_call_returns_a_faulted_task(Func<FileTrackingStore, Task> call)
    {
        var store = OpenStore();
        Task task = null!;
        Assert.DoesNotThrow(() => task = call(store), "the call itself must not throw");
        await Assert.ThrowsAsync<MlflowException>(() => task);
    }

    [TestCaseSource(nameof(RegistryCalls))]
    public async Task A_failing_registry_call_returns_a_faulted_task(Func<FileModelRegistryStore, Task> call)
    {
        var store = new FileModelRegistryStore(Root);
        Task task = null!;
        Assert.DoesNotThrow(() => task = call(store), "the call itself must not throw");
        await Assert.ThrowsAsync<MlflowException>(() => task);
    }

    [Test]
    public async Task A_cancelled_call_returns_a_cancelled_task()
    {
        var store = OpenStore();
        Task task = null!;
        Assert.DoesNotThrow(() => task = store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"] }, new CancellationToken(canceled: true)));
        await Assert.CatchAsync<OperationCanceledException>(() => task);
    }

    [Test]
    public async Task A_run_search_scans_on_the_thread_pool_not_on_the_callers_thread()
    {
        var clock = new ThreadRecordingClock();
        var store = OpenStore(clock);
        await store.CreateRunAsync(new CreateRunRequest { RunName = "r" });
        clock.ReadOnPoolThread.Clear();

        // The caller is a plain thread, not a pool thread: a scan run inline would read the clock here.
        Task<PagedList<Run>> search = null!;
        var caller = new Thread(() => search = store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"] }));
        caller.Start();
        caller.Join();
        var runs = await search;

        Assert.That(runs.Items, Has.Count.EqualTo(1));
        Assert.That(clock.ReadOnPoolThread, Is.Not.Empty.And.All.True, "the search read the store's clock on the caller's thread");
    }

    private static TestCaseData Case(string name, Func<FileTrackingStore, Task> call) => new TestCaseData(call).SetArgDisplayNames(name);

    private static TestCaseData RegistryCase(string name, Func<FileModelRegistryStore, Task> call) => new TestCaseData(call).SetArgDisplayNames(name);

    /// <summary>The system clock, noting for each read of the timestamp whether it ran on a thread-pool thread.</summary>
    private sealed class ThreadRecordingClock : TimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<bool> ReadOnPoolThread { get; } = new();

        public override long GetTimestamp()
        {
            ReadOnPoolThread.Enqueue(Thread.CurrentThread.IsThreadPoolThread);
            return base.GetTimestamp();
        }
    }
}
