using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw db migrate-file-store</c>: a file store MLflow wrote, copied into SQLite with its ids and timestamps, and verified.</summary>
[TestFixture]
public sealed class DbCommandTests
{
    private const string RunId = "7e0f161753684736bcf9df1d92fb4686";
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task Migrating_mlflows_file_store_keeps_ids_timestamps_metrics_and_registry()
    {
        var mlruns = _directory.Combine("mlruns");
        CopyFolder(Path.Combine(Mlw.RepositoryRoot, "tests", "MlWorkflow.Tracking.Tests", "TestData", "mlflow-file-store", "mlruns"), mlruns);
        var database = "sqlite:///" + _directory.Combine("mlflow.db");

        var result = await Mlw.RunAsync(_directory.Path, null, "db", "migrate-file-store", mlruns, database, "--output", "json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Json().GetProperty("runs").GetInt32(), Is.GreaterThan(0));
        var files = new FileTrackingStore(mlruns);
        var sql = new SqlTrackingStore(database);
        var before = await files.GetRunAsync(RunId);
        var after = await sql.GetRunAsync(RunId);
        Assert.That(after.Info, Is.EqualTo(before.Info));
        Assert.That(after.Data.Metrics, Is.EquivalentTo(before.Data.Metrics));
        foreach (var metric in before.Data.Metrics)
        {
            Assert.That((await sql.GetMetricHistoryAsync(RunId, metric.Key)).Items, Is.EquivalentTo((await files.GetMetricHistoryAsync(RunId, metric.Key)).Items));
        }

        var model = await new SqlModelRegistryStore(database).GetRegisteredModelAsync("SalesForecastModelA");
        var fileModel = await new FileModelRegistryStore(mlruns).GetRegisteredModelAsync("SalesForecastModelA");
        Assert.That(model.CreationTimestamp, Is.EqualTo(fileModel.CreationTimestamp));
        Assert.That(model.Aliases, Is.EquivalentTo(fileModel.Aliases));
    }

    [Test]
    public async Task Migrating_into_a_database_that_holds_runs_is_refused_and_changes_nothing()
    {
        var mlruns = _directory.Combine("mlruns");
        CopyFolder(Path.Combine(Mlw.RepositoryRoot, "tests", "MlWorkflow.Tracking.Tests", "TestData", "mlflow-file-store", "mlruns"), mlruns);
        var database = "sqlite:///" + _directory.Combine("mlflow.db");
        var store = new SqlTrackingStore(database);
        await store.CreateExperimentAsync("already-here");

        var result = await Mlw.RunAsync(_directory.Path, null, "db", "migrate-file-store", mlruns, database);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("empty database"));
        Assert.That((await store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.All })).Items, Has.Count.EqualTo(2));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
