using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>The stores read a database MLflow 2.17.2 wrote (TestData/mlflow-sqlite): experiments, runs, metrics, params, tags, inputs, registry.</summary>
[TestFixture]
public sealed class MlflowWrittenSqliteTests
{
    private const string RunId = "7ebbbb3b64f54b53aeb43d9fb78b9768";
    private TemporaryDirectory _directory = null!;
    private string _uri = null!;

    [SetUp]
    public void CopyDatabase()
    {
        _directory = new TemporaryDirectory();
        var path = _directory.Combine("mlflow.db");
        File.Copy(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-sqlite", "mlflow.db"), path);
        _uri = SqliteUri.For(path);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task Experiments_read_back_with_their_ids_names_tags_and_stages()
    {
        var store = new SqlTrackingStore(_uri);

        var all = await store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.All, OrderBy = ["experiment_id ASC"] });
        var sales = await store.GetExperimentByNameAsync("sales-forecast-a");

        Assert.That(all.Items.Select(e => e.ExperimentId), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(all.Items[2].LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(sales!.ExperimentId, Is.EqualTo("1"));
        Assert.That(sales.GetTag("team"), Is.Not.Null);
        Assert.That(sales.ArtifactLocation, Is.EqualTo("/srv/mlflow-sqlite-demo/mlruns/1"));
    }

    [Test]
    public async Task A_run_reads_back_with_latest_metrics_nan_and_infinity_params_tags_and_dataset_input()
    {
        var run = await new SqlTrackingStore(_uri).GetRunAsync(RunId);

        Assert.That(run.Info.RunName, Is.EqualTo("rf-depth5"));
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(run.Data.GetMetric("loss")!.Step, Is.EqualTo(19));
        Assert.That(run.Data.GetMetric("r2")!.Value, Is.NaN);
        Assert.That(run.Data.GetMetric("inf_metric")!.Value, Is.EqualTo(double.PositiveInfinity));
        Assert.That(run.Data.GetParam("max_depth"), Is.EqualTo("5"));
        Assert.That(run.Data.GetTag("nested/key with space"), Is.EqualTo("yes"));
        Assert.That(run.Data.GetTag("mlflow.note.content"), Is.EqualTo("A note\nwith two lines"));
        Assert.That(run.Inputs.DatasetInputs.Single().Dataset.Name, Is.EqualTo("sales-silver"));
        Assert.That(run.Inputs.DatasetInputs.Single().Tags.Single().Value, Is.EqualTo("training"));
    }

    [Test]
    public async Task Metric_history_and_searches_answer_from_mlflows_rows()
    {
        var store = new SqlTrackingStore(_uri);

        var history = await store.GetMetricHistoryAsync(RunId, "loss");
        var found = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["1"], Filter = "params.max_depth = '5' and metrics.rmse < 1 and datasets.name = 'sales-silver'" });
        var ordered = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["1"], OrderBy = ["metrics.rmse DESC"] });

        Assert.That(history.Items, Has.Count.EqualTo(20));
        Assert.That(history.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(found.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { RunId }));
        Assert.That(ordered.Items.Take(2).Select(r => r.Data.GetMetric("rmse")!.Value), Is.EqualTo(new[] { 0.5, 0.31 }));
    }

    [Test]
    public async Task The_registry_reads_back_with_stages_aliases_tags_and_description()
    {
        var registry = new SqlModelRegistryStore(_uri);

        var model = await registry.GetRegisteredModelAsync("SalesForecastModelA");
        var champion = await registry.GetModelVersionByAliasAsync("SalesForecastModelA", "champion");
        var staging = await registry.GetLatestVersionsAsync("SalesForecastModelA", [ModelVersionStage.Staging]);

        Assert.That(model.Description, Is.Not.Null.And.Not.Empty);
        Assert.That(model.GetTag("owner"), Is.Not.Null);
        Assert.That(champion.Version, Is.EqualTo(1));
        Assert.That(champion.CurrentStage, Is.EqualTo(ModelVersionStage.Production));
        Assert.That(staging.Single().Version, Is.EqualTo(2));
        Assert.That(staging.Single().GetTag("validated"), Is.Not.Null);
    }

    [Test]
    public async Task Writing_to_mlflows_database_continues_its_ids_and_versions()
    {
        var store = new SqlTrackingStore(_uri);
        var registry = new SqlModelRegistryStore(_uri);

        var id = await store.CreateExperimentAsync("added-by-dotnet");
        var version = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("SalesForecastModelA", "runs:/" + RunId + "/model") { RunId = RunId });

        Assert.That(id, Is.EqualTo("3"));
        Assert.That(version.Version, Is.EqualTo(3));
    }
}
