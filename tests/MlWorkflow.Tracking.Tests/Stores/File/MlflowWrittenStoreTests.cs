using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Reads back, completely, the store MLflow 2.17.2 wrote (TestData/mlflow-file-store), copied to a temp folder.</summary>
public class MlflowWrittenStoreTests : TempStoreFixture
{
    private const string ExperimentId = "379124300427703249";
    private const string ParentRunId = "7e0f161753684736bcf9df1d92fb4686";
    private const string ChildRunId = "a67b316637424515a8e7a6444e6c7876";
    private const string FailedRunId = "4f880d2e722042d783f22d0ec24eb566";
    private const string DeletedRunId = "6c533819831d48f399602fcea6a531ea";
    private const string DefaultRunId = "9539e8a0979f4d28b1d3ae5c68727743";
    private const string DeletedExperimentId = "868797129889093441";

    private FileTrackingStore _store = null!;

    [SetUp]
    public void CopyStore()
    {
        CopyMlflowStore();
        _store = OpenStore();
    }

    [TearDown]
    public void CloseStore() => _store.Dispose();

    [Test]
    public async Task Experiments_are_read_with_tags_and_times()
    {
        var experiment = await _store.GetExperimentAsync(ExperimentId);
        Assert.That(experiment.Name, Is.EqualTo("sales-forecast-a"));
        Assert.That(experiment.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
        Assert.That(experiment.CreationTime, Is.EqualTo(1795770437487));
        Assert.That(experiment.LastUpdateTime, Is.EqualTo(1795770437487));
        Assert.That(experiment.GetTag("team"), Is.Not.Null.And.Not.Empty);

        var byName = await _store.GetExperimentByNameAsync("sales-forecast-a");
        Assert.That(byName!.ExperimentId, Is.EqualTo(ExperimentId));

        var defaultExperiment = await _store.GetExperimentAsync("0");
        Assert.That(defaultExperiment.Name, Is.EqualTo("Default"));
        Assert.That(defaultExperiment.CreationTime, Is.EqualTo(1795770437483));
    }

    [Test]
    public async Task Deleted_experiment_in_trash_is_read_and_listed_only_as_deleted()
    {
        var deleted = await _store.GetExperimentAsync(DeletedExperimentId);
        Assert.That(deleted.Name, Is.EqualTo("deleted-exp-a"));
        Assert.That(deleted.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(deleted.LastUpdateTime, Is.EqualTo(1795770440232));

        var active = await _store.SearchExperimentsAsync(new SearchExperimentsRequest());
        var onlyDeleted = await _store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.DeletedOnly });
        var all = await _store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.All });
        Assert.That(active.Items.Select(e => e.ExperimentId), Is.EquivalentTo(new[] { "0", ExperimentId }));
        Assert.That(onlyDeleted.Items.Select(e => e.ExperimentId), Is.EquivalentTo(new[] { DeletedExperimentId }));
        Assert.That(all.Items, Has.Count.EqualTo(3));

        var nameTaken = await Assert.ThrowsAsync<MlflowException>(() => _store.CreateExperimentAsync("deleted-exp-a"));
        Assert.That(nameTaken!.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That(nameTaken.Message, Does.Contain("deleted state"));
    }

    [Test]
    public async Task The_finished_run_reads_back_completely()
    {
        var run = await _store.GetRunAsync(ParentRunId);

        Assert.That(run.Info.RunName, Is.EqualTo("rf-depth5"));
        Assert.That(run.Info.ExperimentId, Is.EqualTo(ExperimentId));
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(run.Info.StartTime, Is.EqualTo(1795770437584));
        Assert.That(run.Info.EndTime, Is.EqualTo(1795770440220));
        Assert.That(run.Info.UserId, Is.EqualTo("root"));
        Assert.That(run.Info.LifecycleStage, Is.EqualTo(LifecycleStage.Active));

        Assert.That(run.Data.GetParam("max_depth"), Is.EqualTo("5"));
        Assert.That(run.Data.GetParam("model_type"), Is.EqualTo("RandomForest"));
        Assert.That(run.Data.GetParam("features"), Is.EqualTo("city,year,month"));
        Assert.That(run.Data.Params, Has.Count.EqualTo(3));

        Assert.That(run.Data.GetMetric("loss")!.Value, Is.EqualTo(0.05));
        Assert.That(run.Data.GetMetric("loss")!.Step, Is.EqualTo(19));
        Assert.That(run.Data.GetMetric("rmse")!.Value, Is.EqualTo(0.31));
        Assert.That(double.IsNaN(run.Data.GetMetric("r2")!.Value), Is.True);
        Assert.That(run.Data.GetMetric("inf_metric")!.Value, Is.EqualTo(double.PositiveInfinity));
        Assert.That(run.Data.Metrics, Has.Count.EqualTo(4));

        Assert.That(run.Data.GetTag("nested/key with space"), Is.EqualTo("yes"));
        Assert.That(run.Data.GetTag("mlflow.note.content"), Is.EqualTo("A note\nwith two lines"));
        Assert.That(run.Data.GetTag("mlflow.runName"), Is.EqualTo("rf-depth5"));
        Assert.That(run.Data.GetTag("mlflow.source.type"), Is.EqualTo("LOCAL"));
        Assert.That(run.Data.GetTag("mlflow.log-model.history"), Does.StartWith("[{\"run_id\": \"7e0f161753684736bcf9df1d92fb4686\""));

        var input = run.Inputs.DatasetInputs.Single();
        Assert.That(input.Dataset.Name, Is.EqualTo("sales-silver"));
        Assert.That(input.Dataset.Digest, Is.EqualTo("d77d5191"));
        Assert.That(input.Dataset.SourceType, Is.EqualTo("local"));
        Assert.That(input.Dataset.Source, Is.EqualTo("{\"uri\": \"/data/sales/silver.parquet\"}"));
        Assert.That(input.Dataset.Schema, Is.EqualTo("{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"x1\", \"required\": true}, {\"type\": \"double\", \"name\": \"x2\", \"required\": true}, {\"type\": \"double\", \"name\": \"y\", \"required\": true}]}"));
        Assert.That(input.Dataset.Profile, Is.EqualTo("{\"num_rows\": 20, \"num_elements\": 60}"));
        Assert.That(input.Tags.Single(), Is.EqualTo(new InputTag("mlflow.data.context", "training")));
    }

    [Test]
    public async Task Metric_history_reads_every_value_in_order_with_nan_and_inf()
    {
        var loss = await _store.GetMetricHistoryAsync(ParentRunId, "loss");
        Assert.That(loss.Items, Has.Count.EqualTo(20));
        Assert.That(loss.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(loss.Items[2].Value, Is.EqualTo(1.0 / 3));
        Assert.That(loss.Items[0].Timestamp, Is.EqualTo(1795770437588));
        Assert.That(loss.NextPageToken, Is.Null);

        var r2 = await _store.GetMetricHistoryAsync(ParentRunId, "r2");
        Assert.That(double.IsNaN(r2.Items.Single().Value), Is.True);
        var inf = await _store.GetMetricHistoryAsync(ParentRunId, "inf_metric");
        Assert.That(inf.Items.Single().Value, Is.EqualTo(double.PositiveInfinity));

        var missing = await _store.GetMetricHistoryAsync(ParentRunId, "never-logged");
        Assert.That(missing.Items, Is.Empty);
    }

    [Test]
    public async Task Metric_history_pages()
    {
        var first = await _store.GetMetricHistoryAsync(ParentRunId, "loss", maxResults: 8);
        var second = await _store.GetMetricHistoryAsync(ParentRunId, "loss", maxResults: 8, pageToken: first.NextPageToken);
        var third = await _store.GetMetricHistoryAsync(ParentRunId, "loss", maxResults: 8, pageToken: second.NextPageToken);

        Assert.That(first.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 8).Select(i => (long)i)));
        Assert.That(second.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(8, 8).Select(i => (long)i)));
        Assert.That(third.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(16, 4).Select(i => (long)i)));
        Assert.That(third.NextPageToken, Is.Null);
    }

    [Test]
    public async Task Child_failed_deleted_and_default_runs_read_back()
    {
        var child = await _store.GetRunAsync(ChildRunId);
        Assert.That(child.Info.RunName, Is.EqualTo("child-trial"));
        Assert.That(child.Data.GetTag("mlflow.parentRunId"), Is.EqualTo(ParentRunId));
        Assert.That(child.Data.GetParam("trial"), Is.Not.Null);
        Assert.That(child.Data.GetMetric("rmse"), Is.Not.Null);

        var failed = await _store.GetRunAsync(FailedRunId);
        Assert.That(failed.Info.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(failed.Info.RunName, Is.EqualTo("failed-run"));
        Assert.That(failed.Data.Metrics, Is.Empty);

        var deleted = await _store.GetRunAsync(DeletedRunId);
        Assert.That(deleted.Info.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(deleted.Info.RunName, Is.EqualTo("to-delete"));

        var inDefault = await _store.GetRunAsync(DefaultRunId);
        Assert.That(inDefault.Info.ExperimentId, Is.EqualTo("0"));
        Assert.That(inDefault.Data.GetMetric("m"), Is.Not.Null);
    }

    [Test]
    public async Task Run_search_sees_every_run_by_view_type_and_ignores_the_registry_folder()
    {
        var active = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [ExperimentId] });
        var deleted = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [ExperimentId], RunViewType = ViewType.DeletedOnly });
        var all = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [ExperimentId, "0"], RunViewType = ViewType.All });

        Assert.That(active.Items.Select(r => r.Info.RunId), Is.EquivalentTo(new[] { ParentRunId, ChildRunId, FailedRunId }));
        Assert.That(deleted.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { DeletedRunId }));
        Assert.That(all.Items, Has.Count.EqualTo(5));
        Assert.That(all.Items.Select(r => r.Info.StartTime), Is.Ordered.Descending);

        var filtered = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [ExperimentId], Filter = "params.max_depth = '5' and metrics.rmse < 1 and tags.`nested/key with space` = 'yes'" });
        Assert.That(filtered.Items.Single().Info.RunId, Is.EqualTo(ParentRunId));
        Assert.That(filtered.Items.Single().Data.Params, Has.Count.EqualTo(3));

        var byDataset = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [ExperimentId], Filter = "datasets.context = 'training'" });
        Assert.That(byDataset.Items.Single().Info.RunId, Is.EqualTo(ParentRunId));
    }

    [Test]
    public async Task Writing_to_the_mlflow_store_keeps_its_data()
    {
        await _store.LogBatchAsync(ParentRunId, [new Metric("loss", 0.01, 1795770450000, 20)], [new Param("max_depth", "5")], [new RunTag("stage", "prod")]);
        var runId = (await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = ExperimentId, RunName = "dotnet-run" })).Info.RunId;

        var run = await _store.GetRunAsync(ParentRunId);
        Assert.That(run.Data.GetMetric("loss")!.Step, Is.EqualTo(20));
        Assert.That(run.Data.GetTag("stage"), Is.EqualTo("prod"));
        Assert.That((await _store.GetMetricHistoryAsync(ParentRunId, "loss")).Items, Has.Count.EqualTo(21));
        Assert.That((await _store.GetRunAsync(runId)).Info.ArtifactUri, Is.EqualTo($"file://{Root}/{ExperimentId}/{runId}/artifacts"));

        var conflict = await Assert.ThrowsAsync<MlflowException>(() => _store.LogBatchAsync(ParentRunId, [], [new Param("max_depth", "6")], []));
        Assert.That(conflict!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
