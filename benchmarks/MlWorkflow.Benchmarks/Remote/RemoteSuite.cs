using System.Diagnostics;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Server;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Benchmarks.Remote;

/// <summary>
/// Metric points through the REST store to MlWorkflow's server on 127.0.0.1 (a file store behind it), in 1,000-point
/// <c>log-batch</c> calls, until every point is written, and through <see cref="ActiveRun"/> over the same REST store until
/// flushed; then the same with 10% of requests faulted, and with MLflow's basic-auth app on (a non-admin user, so that each
/// call's run is checked against the user's permissions). Measured after a warm-up pass of the same size.
/// </summary>
internal sealed class RemoteSuite : IBenchmarkSuite
{
    private const int Points = 100_000;
    private const int BatchSize = 1_000;
    private const int Keys = 10;
    private const long T0 = 1_700_000_000_000;
    private const string AdminPassword = "bench-admin-password";
    private const string UserPassword = "bench-user-password";

    public string Name => "remote";

    public string Description => "REST logging to our server on 127.0.0.1: points/s, requests, and the same with 10% injected faults (loss count)";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        await RunDirectAsync(report, cancellationToken);
        await RunOnceAsync(report, faultRate: 0, auth: false, cancellationToken);
        await RunOnceAsync(report, faultRate: 0.10, auth: false, cancellationToken);
        await RunOnceAsync(report, faultRate: 0, auth: true, cancellationToken);
    }

    private static async Task RunOnceAsync(FigureReport report, double faultRate, bool auth, CancellationToken cancellationToken)
    {
        var faulty = faultRate > 0;
        var root = Path.Combine(report.WorkDirectory, faulty ? "mlruns-faulty" : auth ? "mlruns-auth" : "mlruns");
        var fileStore = new FileTrackingStore(root);
        var faults = new BenchmarkFaults(faultRate, seed: 7, slowDelay: TimeSpan.FromSeconds(1.5));
        var serverOptions = new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install };
        if (auth)
        {
            // MLflow's basic-auth app, its users in SQLite; a non-admin user (MANAGE on the experiment it creates), so that every
            // log-batch is checked against its run's experiment.
            serverOptions.Auth = new MlflowAuthOptions { DatabaseUri = "sqlite:///" + Path.Combine(report.WorkDirectory, "basic_auth.db"), AdminUsername = "admin", AdminPassword = AdminPassword };
        }

        await using var server = await TrackingServer.StartAsync(serverOptions, cancellationToken);

        // MLflow's defaults, except a per-try timeout short enough for the injected slow answers to matter.
        var options = RestStoreOptions.FromEnvironment(_ => null);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        options.MaxRetries = RestStoreOptions.MaxRetriesLimit;
        if (auth)
        {
            await CreateUserAsync(server.Uri, cancellationToken);
            options.Username = "bench";
            options.Password = UserPassword;
        }

        using var store = new RestTrackingStore(server.Uri, options);

        var experimentId = await store.CreateExperimentAsync("remote-bench", cancellationToken: cancellationToken);
        var client = new MlflowClient(store);
        var experiment = await client.GetExperimentAsync(experimentId, cancellationToken);
        if (!faulty)
        {
            // Warm-up: one full pass through both paths, so that the JIT has tiered up the JSON, HTTP and file code on both
            // sides (a server and a training loop run long; the first second of a process is not what they live in).
            // The faulty pass runs later in the same process, already warm.
            var warmup = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "warmup" }, cancellationToken);
            for (var b = 0; b < Points / BatchSize; b++)
            {
                await store.LogBatchAsync(warmup.Info.RunId, Batch(b), [], [], cancellationToken);
            }

            await LogThroughActiveRunAsync(client, experiment, "active-warmup", Points / 5, cancellationToken);
        }

        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = faulty ? "faulty" : "clean" }, cancellationToken);
        faults.Reset();
        FigureReport.Note($"  logging {Points:N0} points in {BatchSize:N0}-point batches{(faulty ? $", {faultRate:P0} of requests faulted" : string.Empty)}");
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < Points / BatchSize; b++)
        {
            await store.LogBatchAsync(run.Info.RunId, Batch(b), [], [], cancellationToken);
        }

        watch.Stop();
        var requests = faults.Requests;
        var injected = faults.Faults;

        var (lost, duplicated) = await CompareStepsAsync(fileStore, run.Info.RunId, cancellationToken);

        var suffix = faulty ? "_faulty" : auth ? "_auth" : string.Empty;
        report.Add("rest_points_per_s" + suffix, Points / watch.Elapsed.TotalSeconds);
        report.Add("rest_requests" + suffix, requests);
        if (faulty)
        {
            report.Add("rest_faults_injected", injected);
        }

        report.Add("rest_lost_points" + suffix, lost);
        report.Add("rest_duplicated_points" + suffix, duplicated);

        // The same points through ActiveRun (LogMetric one by one, batched in the background), until flushed.
        faults.Reset();
        watch.Restart();
        var activeRunId = await LogThroughActiveRunAsync(client, experiment, faulty ? "active-faulty" : "active", Points, cancellationToken, watch);

        var (activeLost, activeDuplicated) = await CompareStepsAsync(fileStore, activeRunId, cancellationToken);

        report.Add("active_run_rest_points_per_s" + suffix, Points / watch.Elapsed.TotalSeconds);
        report.Add("active_run_rest_requests" + suffix, faults.Requests);
        report.Add("active_run_rest_lost_points" + suffix, activeLost);
        report.Add("active_run_rest_duplicated_points" + suffix, activeDuplicated);
    }

    /// <summary>Logs points one by one through an <see cref="ActiveRun"/> and flushes; stops <paramref name="watch"/> once flushed (before the run ends).</summary>
    private static async Task<string> LogThroughActiveRunAsync(MlflowClient client, Experiment experiment, string runName, int points, CancellationToken cancellationToken, Stopwatch? watch = null)
    {
        await using var active = await client.StartRunAsync(experiment, runName: runName, cancellationToken: cancellationToken);
        for (var i = 0; i < points; i++)
        {
            active.LogMetric("m" + (i % Keys), 1.0 / (i + 1), step: i);
        }

        await active.FlushAsync(cancellationToken);
        watch?.Stop();
        await active.EndAsync(cancellationToken: cancellationToken);
        return active.RunId;
    }

    /// <summary>Creates the non-admin user <c>bench</c> through the auth app's own endpoint, as an admin would.</summary>
    private static async Task CreateUserAsync(Uri server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        using var body = new StringContent($"{{\"username\": \"bench\", \"password\": \"{UserPassword}\"}}", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/2.0/mlflow/users/create", body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The same workload on the file store without HTTP: the baseline the REST figures compare with.</summary>
    private static async Task RunDirectAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var store = new FileTrackingStore(Path.Combine(report.WorkDirectory, "mlruns-direct"));
        var experimentId = await store.CreateExperimentAsync("direct-bench", cancellationToken: cancellationToken);
        var warmup = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken);
        for (var b = 0; b < Points / BatchSize; b++)
        {
            await store.LogBatchAsync(warmup.Info.RunId, Batch(b), [], [], cancellationToken);
        }

        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken);
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < Points / BatchSize; b++)
        {
            await store.LogBatchAsync(run.Info.RunId, Batch(b), [], [], cancellationToken);
        }

        report.Add("direct_file_points_per_s", Points / watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Compares the stored points with the sent ones as exact sets of (key, step): a point missing is lost, a point stored
    /// twice is duplicated, each counted on its own (one lost and one duplicated never cancel out).
    /// </summary>
    private static async Task<(long Lost, long Duplicated)> CompareStepsAsync(ITrackingStore store, string runId, CancellationToken cancellationToken)
    {
        long lost = 0, duplicated = 0;
        for (var k = 0; k < Keys; k++)
        {
            var seen = new HashSet<long>();
            string? token = null;
            do
            {
                var page = await store.GetMetricHistoryAsync(runId, "m" + k, maxResults: 25_000, pageToken: token, cancellationToken: cancellationToken);
                foreach (var point in page.Items)
                {
                    // Steps of key m<k> are k, k + Keys, k + 2 Keys, ...; anything else is a wrong point, counted as duplicated.
                    duplicated += point.Step % Keys == k && point.Step < Points && seen.Add(point.Step) ? 0 : 1;
                }

                token = page.NextPageToken;
            }
            while (token is not null);
            lost += (Points / Keys) - seen.Count;
        }

        return (lost, duplicated);
    }

    private static Metric[] Batch(int batch)
    {
        var metrics = new Metric[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var step = ((long)batch * BatchSize) + i;
            metrics[i] = new Metric("m" + (i % Keys), 1.0 / (step + 1), T0 + step, step);
        }

        return metrics;
    }
}
