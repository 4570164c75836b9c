using System.Diagnostics;
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
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
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
