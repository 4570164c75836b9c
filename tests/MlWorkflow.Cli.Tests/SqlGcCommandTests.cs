using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw gc</c> on a real SQLite database in MLflow's schema: deleted runs and experiments lose every row and their artifacts; the rest stays.</summary>
[TestFixture]
public sealed class SqlGcCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private string DatabasePath => _directory.Combine("mlflow.db");

    private string DatabaseUri => "sqlite:///" + DatabasePath;

    private SqlTrackingStore Store() => new(DatabaseUri, new SqlStoreOptions { DefaultArtifactRoot = _directory.Combine("artifacts") });

    private async Task<(string Kept, string Deleted, string DeletedExperiment, string RunOfDeletedExperiment)> SeedAsync()
    {
        await using var client = new MlflowClient(Store());
        var experiment = await client.GetOrCreateExperimentAsync("keep");
        var doomed = await client.GetOrCreateExperimentAsync("doomed");
        async Task<string> RunAsync(Experiment e)
        {
            await using var run = await client.StartRunAsync(e);
            await run.LogTextAsync("a.txt", "a");
            run.LogMetric("loss", 0.5, 1);
            run.LogParam("p", "1");
            await run.LogInputAsync(new Dataset("d", "digest", "local", "{}"));
            await run.EndAsync();
            return run.RunId;
        }

        var kept = await RunAsync(experiment);
        var deleted = await RunAsync(experiment);
        var inDoomed = await RunAsync(doomed);
        await client.DeleteRunAsync(deleted);
        await client.DeleteExperimentAsync(doomed.ExperimentId);
        return (kept, deleted, doomed.ExperimentId, inDoomed);
    }

    [Test]
    public async Task Gc_removes_every_row_and_the_artifacts_of_deleted_runs_and_experiments_and_keeps_the_rest()
    {
        var (kept, deleted, doomed, inDoomed) = await SeedAsync();
        var keptArtifacts = (await Store().GetRunAsync(kept)).Info.ArtifactUri;
        var deletedArtifacts = (await Store().GetRunAsync(deleted)).Info.ArtifactUri;

        var result = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", DatabaseUri, "--output", "json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = result.Json();
        Assert.That(json.GetProperty("runs").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(new[] { deleted, inDoomed }));
        Assert.That(json.GetProperty("experiments").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { doomed }));
        foreach (var table in new[] { "runs", "metrics", "latest_metrics", "params", "tags" })
        {
            Assert.That(Count($"SELECT COUNT(*) FROM {table} WHERE run_uuid IN ('{deleted}', '{inDoomed}')"), Is.Zero, table);
            Assert.That(Count($"SELECT COUNT(*) FROM {table} WHERE run_uuid = '{kept}'"), Is.GreaterThan(0), table);
        }

        Assert.That(Count($"SELECT COUNT(*) FROM inputs WHERE destination_id IN ('{deleted}', '{inDoomed}')"), Is.Zero);
        Assert.That(Count($"SELECT COUNT(*) FROM experiments WHERE experiment_id = {doomed}"), Is.Zero);
        Assert.That(Count($"SELECT COUNT(*) FROM datasets WHERE experiment_id = {doomed}"), Is.Zero);
        Assert.That(Directory.Exists(new Uri(deletedArtifacts).LocalPath), Is.False);
        Assert.That(File.Exists(Path.Combine(new Uri(keptArtifacts).LocalPath, "a.txt")), Is.True);
        Assert.That((await Store().GetRunAsync(kept)).Data.GetMetric("loss")!.Value, Is.EqualTo(0.5));
    }

    [Test]
    public async Task Gc_with_run_ids_refuses_an_active_run_before_touching_anything_then_removes_only_the_run_named()
    {
        var (kept, deleted, doomed, inDoomed) = await SeedAsync();

        var refused = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", DatabaseUri, "--run-ids", $"{deleted},{kept}");
        Assert.That(refused.ExitCode, Is.Not.Zero, refused.ToString());
        Assert.That(refused.Stderr, Does.Contain(kept));
        Assert.That(Count($"SELECT COUNT(*) FROM runs WHERE run_uuid = '{deleted}'"), Is.EqualTo(1), "nothing removed");

        var onlyOne = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", DatabaseUri, "--run-ids", deleted);

        Assert.That(onlyOne.ExitCode, Is.Zero, onlyOne.ToString());
        Assert.That(onlyOne.Stdout, Does.Contain($"Run with ID {deleted} has been permanently deleted."));
        Assert.That(Count($"SELECT COUNT(*) FROM runs WHERE run_uuid = '{deleted}'"), Is.Zero);
        Assert.That(Count($"SELECT COUNT(*) FROM runs WHERE run_uuid = '{inDoomed}'"), Is.EqualTo(1), "the deleted experiment was not named");
        Assert.That(Count($"SELECT COUNT(*) FROM experiments WHERE experiment_id = {doomed}"), Is.EqualTo(1));
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
