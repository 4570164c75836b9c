using System.Diagnostics;
using System.Globalization;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Benchmarks.Tracking;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Benchmarks.Sql;

/// <summary>
/// Issue 17's figures: the tracking suite's workload on the SQL stores. SQLite always; PostgreSQL when
/// <c>MLW_BENCH_POSTGRES_URI</c> names an empty database (a throwaway server, e.g. initdb + pg_ctl on a loopback port).
/// Bounded: one 10,000-run build per database, 100,000 points through ActiveRun, a few searches.
/// </summary>
internal sealed class SqlStoreSuite : IConfigurableSuite
{
    private bool _loggingOnly;
    private string? _buildOnly;

    private const int Keys = 100;
    private const int Steps = 1000;
    private const string ColdVariable = "MLW_BENCH_SQL_COLD_URI";

    public string Name => "sql";

    public string Description => "SQL stores: 10,000-run build, search (SQLite in a new process), 100,000 points through ActiveRun; PostgreSQL with MLW_BENCH_POSTGRES_URI";

    /// <summary><c>--logging-only</c>: only the points-through-ActiveRun figures (seconds instead of minutes).</summary>
    public string? Configure(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--logging-only")
            {
                _loggingOnly = true;
            }
            else if (args[i] == "--build" && i + 1 < args.Count)
            {
                _buildOnly = args[++i];
            }
            else
            {
                return $"unknown argument '{args[i]}' (the sql suite takes --logging-only or --build <database uri>)";
            }
        }

        return null;
    }

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        if (_buildOnly is not null)
        {
            // Builds the workload into a database that outlives the run, to time the new-process search on it again
            // (MLW_BENCH_SQL_COLD_URI=<uri> ... sql) without a rebuild.
            await BuildAsync(report, "build", _buildOnly, cancellationToken);
            return;
        }

        if (_loggingOnly)
        {
            report.Add("sqlite_log_points_per_s", await LogThroughActiveRunAsync("sqlite:///" + Path.Combine(report.WorkDirectory, "logging.db"), cancellationToken));
            if (Environment.GetEnvironmentVariable("MLW_BENCH_POSTGRES_URI") is { Length: > 0 } postgresUri)
            {
                report.Add("postgres_log_points_per_s", await LogThroughActiveRunAsync(postgresUri, cancellationToken));
            }

            return;
        }

        if (Environment.GetEnvironmentVariable(ColdVariable) is { Length: > 0 } cold)
        {
            // Started as mlw starts: multicore JIT from the last start-up's profile, unless MLW_JIT_PROFILE=off.
            StartupJitProfile.Start("sql-search");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var jitTime = System.Runtime.JitInfo.GetCompilationTime();
            var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
            var watch = Stopwatch.StartNew();
            var store = new SqlTrackingStore(cold);
            var constructed = watch.Elapsed.TotalMilliseconds;
            var experiment = await store.GetExperimentByNameAsync("search-bench", cancellationToken);
            var opened = watch.Elapsed.TotalMilliseconds;
            var page = await store.SearchRunsAsync(SearchWorkload.Request(experiment!.ExperimentId), cancellationToken);
            report.Add("sqlite_search_ms", watch.Elapsed.TotalMilliseconds);
            report.Add("sqlite_search_page_runs", page.Items.Count);

            // Where the new process's time goes: opening the database (driver load, schema check, experiment lookup), then the search itself.
            FigureReport.Note($"sqlite_search_ms parts: open and experiment lookup {opened:F1} ms (the store object {constructed:F1}), search {watch.Elapsed.TotalMilliseconds - opened:F1} ms; the process's CPU time meanwhile {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms, of which compiling {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms ({System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} methods)");
            return;
        }

        var sqlite = "sqlite:///" + Path.Combine(report.WorkDirectory, "mlflow.db");
        await BuildAsync(report, "sqlite", sqlite, cancellationToken);
        // New processes: the first records a multicore JIT profile (as mlw's first start-up of a command does); then, in
        // turns, one with that profile and one with the JIT alone (MLW_JIT_PROFILE=off), the medians of five each.
        var profiles = Path.Combine(report.WorkDirectory, "jit-profiles");
        var (firstMs, pageRuns) = await SearchInNewProcessAsync(sqlite, profiles, cancellationToken);
        var profiled = new List<double>();
        var plain = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            profiled.Add((await SearchInNewProcessAsync(sqlite, profiles, cancellationToken)).SearchMs);
            plain.Add((await SearchInNewProcessAsync(sqlite, "off", cancellationToken)).SearchMs);
        }

        report.Add("sqlite_search_ms", Median(profiled));
        report.Add("sqlite_search_jit_only_ms", Median(plain));
        report.Add("sqlite_search_first_start_ms", firstMs);
        report.Add("sqlite_search_page_runs", pageRuns);
        report.Add("sqlite_search_warm_ms", await WarmSearchAsync(sqlite, cancellationToken));
        report.Add("sqlite_log_points_per_s", await LogThroughActiveRunAsync("sqlite:///" + Path.Combine(report.WorkDirectory, "logging.db"), cancellationToken));

        if (Environment.GetEnvironmentVariable("MLW_BENCH_POSTGRES_URI") is { Length: > 0 } postgres)
        {
            await BuildAsync(report, "postgres", postgres, cancellationToken);
            report.Add("postgres_search_ms", await WarmSearchAsync(postgres, cancellationToken, first: true));
            report.Add("postgres_search_warm_ms", await WarmSearchAsync(postgres, cancellationToken));
            report.Add("postgres_log_points_per_s", await LogThroughActiveRunAsync(postgres, cancellationToken));
        }
        else
        {
            FigureReport.Note("MLW_BENCH_POSTGRES_URI not set: the postgres_* figures are not measured.");
        }
    }

    private static async Task BuildAsync(FigureReport report, string prefix, string uri, CancellationToken cancellationToken)
    {
        FigureReport.Note($"{prefix}: building {SearchWorkload.Runs} runs (20 params, 10 metrics, 10 tags each)...");
        var (_, runsPerSecond) = await SearchWorkload.BuildAsync(new SqlTrackingStore(uri), cancellationToken);
        report.Add(prefix + "_build_runs_per_s", runsPerSecond);
    }

    private static async Task<double> WarmSearchAsync(string uri, CancellationToken cancellationToken, bool first = false)
    {
        var store = new SqlTrackingStore(uri);
        var experiment = await store.GetExperimentByNameAsync("search-bench", cancellationToken);
        var request = SearchWorkload.Request(experiment!.ExperimentId);
        if (first)
        {
            var once = Stopwatch.StartNew();
            await store.SearchRunsAsync(request, cancellationToken);
            return once.Elapsed.TotalMilliseconds;
        }

        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await store.SearchRunsAsync(request, cancellationToken);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return Median(samples);
    }

    private static double Median(List<double> samples)
    {
        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>The search in a new process (opening the database and the first query included), as MLflow's 660 ms figure was taken against a fresh server.</summary>
    private static async Task<(double SearchMs, double PageRuns)> SearchInNewProcessAsync(string uri, string jitProfile, CancellationToken cancellationToken)
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(SqlStoreSuite).Assembly.Location);
        }

        start.ArgumentList.Add("sql");
        start.Environment[ColdVariable] = uri;
        start.Environment[StartupJitProfile.Variable] = jitProfile;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the search process.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The search process failed ({process.ExitCode}): {errors}");
        }

        double Figure(string name) => double.Parse(
            output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..],
            CultureInfo.InvariantCulture);
        return (Figure("sqlite_search_ms"), Figure("sqlite_search_page_runs"));
    }

    /// <summary>100,000 points (100 keys × 1000 steps) through <see cref="ActiveRun"/>, flushed; best of two.</summary>
    private static async Task<double> LogThroughActiveRunAsync(string uri, CancellationToken cancellationToken)
    {
        var keys = Enumerable.Range(0, Keys).Select(k => $"metric_{k:D3}").ToArray();
        var best = double.MaxValue;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var client = new MlflowClient(new SqlTrackingStore(uri));
            var experiment = await client.GetOrCreateExperimentAsync("bench", cancellationToken);
            var watch = Stopwatch.StartNew();
            await using (var run = await client.StartRunAsync(experiment, "logging", cancellationToken: cancellationToken))
            {
                for (var step = 0; step < Steps; step++)
                {
                    foreach (var key in keys)
                    {
                        run.LogMetric(key, step * 0.001, step);
                    }
                }

                await run.FlushAsync(cancellationToken);
                watch.Stop();
                var history = await client.GetMetricHistoryAsync(run.RunId, keys[^1], cancellationToken);
                if (history.Count != Steps)
                {
                    throw new InvalidOperationException($"Expected {Steps} points of {keys[^1]}, found {history.Count}.");
                }
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return Keys * Steps / best;
    }
}
