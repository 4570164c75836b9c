using System.Globalization;
using System.Text;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Issue 10.4: a metric file far larger than what a read keeps in memory: latest values and a history page are streamed.</summary>
public class FileStoreLargeMetricTests : TempStoreFixture
{
    private const int Lines = 2_500_000; // about 70 MB
    private const long T0 = 1_700_000_000_000;

    /// <summary>Well under the file's size: what a read may allocate (buffers, a page of metrics, a run's other data).</summary>
    private const long AllocationBound = 4 * 1024 * 1024;

    [Test]
    public async Task Latest_values_and_a_history_page_allocate_far_less_than_the_file()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var path = Path.Combine(Root, "0", run.RunId, "metrics", "loss");
        await WriteLargeMetricFileAsync(path);
        var size = new FileInfo(path).Length;
        Assert.That(size, Is.GreaterThan(50L * 1024 * 1024));

        await WarmUpAsync(store, run.RunId);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = await store.GetRunAsync(run.RunId);
        var runAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        var first = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 100);
        var pageAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var second = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 100, pageToken: first.NextPageToken);

        // The last line has the highest step: the latest value needs the whole file read, but never held.
        Assert.That(loaded.Data.GetMetric("loss")!.Step, Is.EqualTo(Lines - 1));
        Assert.That(runAllocated, Is.LessThan(AllocationBound), $"GetRun allocated {runAllocated:N0} bytes for a {size:N0}-byte file");
        Assert.That(first.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (long)i)));
        Assert.That(second.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(100, 100).Select(i => (long)i)));
        Assert.That(pageAllocated, Is.LessThan(AllocationBound), $"a page of 100 allocated {pageAllocated:N0} bytes");
    }

    [Test]
    public async Task A_search_on_a_large_metric_allocates_far_less_than_the_file()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await WriteLargeMetricFileAsync(Path.Combine(Root, "0", run.RunId, "metrics", "loss"));

        await WarmUpAsync(store, run.RunId);

        // A first search of a small store loads and compiles the search code, which is not what is measured.
        var warmRun = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = await store.CreateExperimentAsync("warm-up") })).Info;
        await store.LogBatchAsync(warmRun.RunId, [new Metric("loss", 1, T0, 0)], [], []);
        await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [warmRun.ExperimentId], Filter = "metrics.loss > 0" });

        // The search reads files on worker threads too: count every thread's allocations.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var found = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"], Filter = "metrics.loss > 0" });
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(found.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { run.RunId }));
        Assert.That(allocated, Is.LessThan(AllocationBound));
    }

    /// <summary>
    /// One whole read first: the first millions of lines a process parses run through not yet optimised code (tiered
    /// compilation), which allocates about 15 MB once; what is measured is every read after that.
    /// </summary>
    private static async Task WarmUpAsync(FileTrackingStore store, string runId) => await store.GetRunAsync(runId);

    private static async Task WriteLargeMetricFileAsync(string path)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        for (var i = 0; i < Lines; i++)
        {
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{T0 + i} {1.0 / (i + 1)} {i}\n"));
        }
    }
}
