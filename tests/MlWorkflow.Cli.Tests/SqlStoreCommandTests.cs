using System.Diagnostics;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw</c> on a SQLite database in MLflow's schema: the commands and <c>mlw server --backend-store-uri sqlite:///…</c>.</summary>
[TestFixture]
public sealed class SqlStoreCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private string DatabaseUri => "sqlite:///" + _directory.Combine("mlflow.db");

    [Test]
    public async Task Experiments_are_created_and_listed_in_a_sqlite_database_named_by_the_environment()
    {
        var environment = new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = DatabaseUri };

        var created = await Mlw.RunAsync(_directory.Path, environment, "experiments", "create", "--experiment-name", "from-cli");
        var listed = await Mlw.RunAsync(_directory.Path, environment, "experiments", "search", "--output", "json");

        Assert.That(created.ExitCode, Is.Zero, created.ToString());
        Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
        Assert.That(listed.Stdout, Does.Contain("from-cli"));
        var store = new SqlTrackingStore(DatabaseUri);
        Assert.That(await store.GetExperimentByNameAsync("from-cli"), Is.Not.Null);
    }

    [Test]
    public async Task The_server_serves_runs_registry_and_artifacts_from_a_sqlite_database()
    {
        var artifacts = _directory.Combine("artifacts");
        using var process = Process.Start(Mlw.StartInfo(_directory.Path, null, "server", "--backend-store-uri", DatabaseUri, "--artifacts-destination", artifacts, "--port", "0", "--log-level", "warning"))!;
        try
        {
            var uri = await ReadServerUriAsync(process);
            await using (var client = MlflowClient.Create(uri))
            {
                var experimentId = await client.CreateExperimentAsync("served-sql");
                var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "r1" });
                await client.LogMetricAsync(run.Info.RunId, "loss", 0.5);
                var notes = _directory.Combine("notes.txt");
                await File.WriteAllTextAsync(notes, "hello");
                await client.LogArtifactAsync(run.Info.RunId, notes);
                await client.Registry.Store.CreateRegisteredModelAsync("sql-model");

                Assert.That(run.Info.ArtifactUri, Does.StartWith("mlflow-artifacts:/"));
            }

            // The database holds what the clients wrote, in MLflow's schema; the artifact is in the folder given.
            var store = new SqlTrackingStore(DatabaseUri);
            var experiment = await store.GetExperimentByNameAsync("served-sql");
            var runs = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment!.ExperimentId] });
            Assert.That(runs.Items.Single().Data.GetMetric("loss")!.Value, Is.EqualTo(0.5));
            Assert.That(Directory.EnumerateFiles(artifacts, "notes.txt", SearchOption.AllDirectories), Is.Not.Empty);
            Assert.That((await new SqlModelRegistryStore(DatabaseUri).GetRegisteredModelAsync("sql-model")).Name, Is.EqualTo("sql-model"));
        }
        finally
        {
            await Mlw.StopAsync(process);
        }
    }

    [Test]
    public async Task The_registry_store_uri_puts_the_registry_in_a_database_beside_a_file_backend_store()
    {
        var folder = _directory.Combine("mlruns");
        using var process = Process.Start(Mlw.StartInfo(_directory.Path, null, "server", "--backend-store-uri", folder, "--registry-store-uri", DatabaseUri, "--port", "0", "--log-level", "warning"))!;
        try
        {
            var uri = await ReadServerUriAsync(process);
            string runId;
            await using (var client = MlflowClient.Create(uri))
            {
                var experimentId = await client.CreateExperimentAsync("file-runs");
                var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "r1" });
                runId = run.Info.RunId;
                await client.Registry.Store.CreateRegisteredModelAsync("in-sqlite");
                await client.Registry.Store.CreateModelVersionAsync(new CreateModelVersionRequest("in-sqlite", run.Info.ArtifactUri + "/model") { RunId = runId });
                var listed = await Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = uri }, "models", "list", "-o", "json");
                Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
                Assert.That(listed.Stdout, Does.Contain("in-sqlite"));
            }

            // Runs in the folder, the registry in the database (and not in the folder's models/).
            Assert.That(Directory.EnumerateDirectories(folder, runId, SearchOption.AllDirectories), Is.Not.Empty);
            var versions = await new SqlModelRegistryStore(DatabaseUri).SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "name = 'in-sqlite'" });
            Assert.That(versions.Items.Single().RunId, Is.EqualTo(runId));
            Assert.That(Directory.Exists(Path.Combine(folder, "models", "in-sqlite")), Is.False);
        }
        finally
        {
            await Mlw.StopAsync(process);
        }
    }

    [Test]
    public async Task A_registry_store_uri_naming_a_server_is_a_usage_error()
    {
        var result = await Mlw.RunAsync(_directory.Path, null, "server", "--backend-store-uri", _directory.Combine("mlruns"), "--registry-store-uri", "http://127.0.0.1:5000", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--registry-store-uri"));
    }

    /// <summary>Reads the server's announced address from its standard output.</summary>
    internal static async Task<string> ReadServerUriAsync(Process process)
    {
        const string Prefix = "MLFLOW_TRACKING_URI=";
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
        {
            if (line.Contains(Prefix, StringComparison.Ordinal))
            {
                return line[(line.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length)..].Trim();
            }
        }

        Assert.Fail("The server exited before announcing its address: " + await process.StandardError.ReadToEndAsync());
        return string.Empty;
    }
}
