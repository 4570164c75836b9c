using System.Diagnostics;
using System.Globalization;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Benchmarks.Tracking;

/// <summary>
/// The file store at scale: builds a store of 10,000 runs (20 params, 10 metrics, 10 tags each) through the store API,
/// measures log-batch throughput, and a search (<c>metrics.m0 &lt; 0.5 and params.p0 = 'v1' and tags.t0 = 'x'</c>
/// ordered by <c>metrics.m1 DESC</c>, first page of 100) cold in a new process and warm on the same store object,
/// checking both against a plain scan (every run loaded, filtered and sorted in memory); cold with the page cache
/// dropped where allowed, then searches after idle (past the revalidation interval), watched and unwatched.
/// </summary>
internal sealed class FileStoreSuite : IBenchmarkSuite
{
    private const string ColdSearchVariable = "MLW_BENCH_COLD_SEARCH_ROOT";
    private const string ColdResultVariable = "MLW_BENCH_COLD_SEARCH_RESULT";

    public string Name => "tracking-store";

    public string Description => "file store: build 10,000 runs, log-batch points/s, run search cold (new process, page cache dropped), warm and after idle vs a plain scan";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(ColdSearchVariable) is { Length: > 0 } coldRoot)
        {
            await RunColdSearchAsync(report, coldRoot, cancellationToken);
            return;
        }

        var root = Path.Combine(report.WorkDirectory, "mlruns");
        var experimentId = await BuildStoreAsync(report, root, cancellationToken);
        await MeasureLogBatchAsync(report, Path.Combine(report.WorkDirectory, "mlruns-batch"), cancellationToken);

        FigureReport.Note("plain scan: loading every run...");
        var expected = await PlainScanAsync(root, experimentId, cancellationToken);
        report.Add("search_page_runs", expected.Count);

        // Cold means cold: the page cache is dropped first where the process may (root on Linux); otherwise the files are in it.
        report.Add("search_cold_cache_dropped", TryDropPageCache() ? 1 : 0);
        var (coldMs, coldProcessMs, coldIds) = await RunColdSearchProcessAsync(report.WorkDirectory, root, cancellationToken);
        Check("cold", coldIds, expected);
        report.Add("search_cold_ms", coldMs);
        report.Add("search_cold_process_ms", coldProcessMs);

        var store = new FileTrackingStore(root);
        var request = SearchWorkload.Request(experimentId);
        var first = Stopwatch.StartNew();
        await store.SearchRunsAsync(request, cancellationToken);
        report.Add("search_first_in_process_ms", first.Elapsed.TotalMilliseconds);
        var warm = Stopwatch.StartNew();
        var page = await store.SearchRunsAsync(request, cancellationToken);
        report.Add("search_warm_ms", warm.Elapsed.TotalMilliseconds);
        Check("warm", page.Items.Select(r => r.Info.RunId).ToList(), expected);
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            warm.Restart();
            await store.SearchRunsAsync(request, cancellationToken);
            samples.Add(warm.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        report.Add("search_warm_median_ms", samples[samples.Count / 2]);

        // After idle: each search comes more than the revalidation interval after the previous one.
        report.Add("search_after_idle_ms", await MedianAfterIdleAsync(store, request, expected, cancellationToken));

        // The same with the operating-system watch turned off: every cached file is re-checked by write time and length.
        var checking = new FileTrackingStore(root) { SearchCacheWatchThreshold = int.MaxValue };
        await checking.SearchRunsAsync(request, cancellationToken);
        report.Add("search_after_idle_unwatched_ms", await MedianAfterIdleAsync(checking, request, expected, cancellationToken));
        report.Add("search_equals_scan", 1);
    }

    /// <summary>The median of 3 searches, each made after waiting out the store's revalidation interval (plus 100 ms).</summary>
    private static async Task<double> MedianAfterIdleAsync(FileTrackingStore store, SearchRunsRequest request, List<string> expected, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(store.SearchCacheRevalidationInterval + TimeSpan.FromMilliseconds(100), cancellationToken);
            var watch = Stopwatch.StartNew();
            var page = await store.SearchRunsAsync(request, cancellationToken);
            samples.Add(watch.Elapsed.TotalMilliseconds);
            Check("after-idle", page.Items.Select(r => r.Info.RunId).ToList(), expected);
        }

        samples.Sort();
        return samples[1];
    }

    /// <summary>Writes dirty pages out and drops the page cache (<c>/proc/sys/vm/drop_caches</c>); false where that is not allowed.</summary>
    private static bool TryDropPageCache()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
            {
                sync?.WaitForExit();
            }

            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<string> BuildStoreAsync(FigureReport report, string root, CancellationToken cancellationToken)
    {
        FigureReport.Note($"building {SearchWorkload.Runs} runs (20 params, 10 metrics, 10 tags each)...");
        var (experimentId, runsPerSecond) = await SearchWorkload.BuildAsync(new FileTrackingStore(root), cancellationToken);
        report.Add("build_runs_per_s", runsPerSecond);
        return experimentId;
    }

    private static async Task MeasureLogBatchAsync(FigureReport report, string root, CancellationToken cancellationToken)
    {
        var store = new FileTrackingStore(root);
        var run = await store.CreateRunAsync(new CreateRunRequest(), cancellationToken);
        const int steps = 1_000;
        const int keys = 100;
        var batches = new List<List<Metric>>();
        for (var step = 0; step < steps; step += 10)
        {
            batches.Add([.. Enumerable.Range(step, 10).SelectMany(s => Enumerable.Range(0, keys).Select(k => new Metric($"k{k}", 1.0 / (s + 1), 1_700_000_000_000 + s, s)))]);
        }

        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await store.LogBatchAsync(run.Info.RunId, batch, [], [], cancellationToken);
        }

        report.Add("log_batch_points_per_s", steps * keys / watch.Elapsed.TotalSeconds);
    }

    /// <summary>Every run loaded whole, filtered and sorted in memory by the search engine: the reference result.</summary>
    private static async Task<List<string>> PlainScanAsync(string root, string experimentId, CancellationToken cancellationToken)
    {
        var store = new FileTrackingStore(root);
        var query = RunSearchQuery.Parse(SearchWorkload.Filter, SearchWorkload.OrderBy);
        var views = new List<RunSearchView>();
        foreach (var directory in Directory.EnumerateDirectories(Path.Combine(root, experimentId)))
        {
            var name = Path.GetFileName(directory);
            if (name is "tags" or "datasets")
            {
                continue;
            }

            var run = await store.GetRunAsync(name, cancellationToken);
            var view = new RunSearchView(run);
            if (run.Info.LifecycleStage == LifecycleStage.Active && query.Matches(view))
            {
                views.Add(view);
            }
        }

        views.Sort(query.Comparer);
        return views.Select(v => v.Run.Info.RunId).Take(100).ToList();
    }

    private static async Task<(double SearchMs, double ProcessMs, List<string> Ids)> RunColdSearchProcessAsync(string workDirectory, string root, CancellationToken cancellationToken)
    {
        var resultFile = Path.Combine(workDirectory, "cold-result.txt");
        var processPath = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(FileStoreSuite).Assembly.Location);
        }

        start.ArgumentList.Add("tracking-store");
        start.Environment[ColdSearchVariable] = root;
        start.Environment[ColdResultVariable] = resultFile;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the cold-search process.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var processMs = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The cold-search process failed ({process.ExitCode}): {errors}");
        }

        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("search_cold_ms=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The cold-search process printed no figure: {output}");
        var ids = File.ReadAllLines(resultFile).Where(l => l.Length > 0).ToList();
        return (double.Parse(line["search_cold_ms=".Length..], CultureInfo.InvariantCulture), processMs, ids);
    }

    /// <summary>In the child process: a new store object, one search, timed from the store's creation.</summary>
    private static async Task RunColdSearchAsync(FigureReport report, string root, CancellationToken cancellationToken)
    {
        var experimentId = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Single(n => n is not "0" and not ".trash")!;
        var watch = Stopwatch.StartNew();
        var store = new FileTrackingStore(root);
        var page = await store.SearchRunsAsync(SearchWorkload.Request(experimentId), cancellationToken);
        report.Add("search_cold_ms", watch.Elapsed.TotalMilliseconds);
        await File.WriteAllLinesAsync(Environment.GetEnvironmentVariable(ColdResultVariable)!, page.Items.Select(r => r.Info.RunId), cancellationToken);
    }

    private static void Check(string what, List<string> actual, List<string> expected)
    {
        if (!actual.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The {what} search returned {actual.Count} runs that differ from the plain scan's {expected.Count}.");
        }
    }
}
