using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Every store operation on a real store in a temp folder: results, lifecycle and MLflow's errors.</summary>
public class FileTrackingStoreOperationTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;

    [Test]
    public async Task Experiments_are_created_read_renamed_deleted_and_restored()
    {
        var clock = new ManualClock(T0);
        var store = OpenStore(clock);
        var id = await store.CreateExperimentAsync("first", tags: [new ExperimentTag("team", "ml")]);
        Assert.That((await store.GetExperimentAsync(id)).GetTag("team"), Is.EqualTo("ml"));
        Assert.That((await store.GetExperimentByNameAsync("first"))!.ExperimentId, Is.EqualTo(id));
        Assert.That(await store.GetExperimentByNameAsync("nope"), Is.Null);

        clock.Now = T0 + 10;
        await store.RenameExperimentAsync(id, "second");
        var renamed = await store.GetExperimentAsync(id);
        Assert.That(renamed.Name, Is.EqualTo("second"));
        Assert.That(renamed.LastUpdateTime, Is.EqualTo(T0 + 10));
        Assert.That(renamed.CreationTime, Is.EqualTo(T0));
        Assert.That(ReadFile($"{id}/meta.yaml"), Does.EndWith("tags:\n  team: ml\n"));

        await store.SetExperimentTagAsync(id, new ExperimentTag("team", "data"));
        Assert.That((await store.GetExperimentAsync(id)).GetTag("team"), Is.EqualTo("data"));

        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = id });
        await store.DeleteExperimentAsync(id);
        Assert.That((await store.GetExperimentAsync(id)).LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That((await store.GetRunAsync(run.Info.RunId)).Info.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        var tagDeleted = await Assert.ThrowsAsync<MlflowException>(() => store.SetExperimentTagAsync(id, new ExperimentTag("x", "y")));
        Assert.That(tagDeleted!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        var runInDeleted = await Assert.ThrowsAsync<MlflowException>(() => store.CreateRunAsync(new CreateRunRequest { ExperimentId = id }));
        Assert.That(runInDeleted!.ErrorCode, Is.EqualTo(ErrorCode.InvalidState));

        await store.RestoreExperimentAsync(id);
        Assert.That((await store.GetExperimentAsync(id)).LifecycleStage, Is.EqualTo(LifecycleStage.Active));
        Assert.That(Directory.Exists(Path.Combine(Root, id)), Is.True);
        Assert.That((await store.GetRunAsync(run.Info.RunId)).Info.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
        Assert.That(ReadFile($"{id}/{run.Info.RunId}/meta.yaml"), Does.Not.Contain("deleted_time"));
    }

    [Test]
    public async Task Experiment_errors_carry_mlflow_codes()
    {
        var store = OpenStore();
        await store.CreateExperimentAsync("taken");
        var other = await store.CreateExperimentAsync("other");

        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.CreateExperimentAsync("taken")))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.RenameExperimentAsync(other, "taken")))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("12345")))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("../0")))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.DeleteExperimentAsync("0")))!.Message, Does.Contain("Cannot delete the default experiment"));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.CreateExperimentAsync("")))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.RestoreExperimentAsync(other)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.CreateExperimentAsync("x", "runs:/abc/model")))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Artifact_locations_given_as_paths_become_file_uris_and_others_are_kept()
    {
        var store = OpenStore();
        var local = await store.CreateExperimentAsync("local", Path.Combine(TempDirectory, "my artifacts"));
        var remote = await store.CreateExperimentAsync("remote", "s3://bucket/path");

        Assert.That((await store.GetExperimentAsync(local)).ArtifactLocation, Is.EqualTo($"file://{TempDirectory}/my%20artifacts"));
        Assert.That((await store.GetExperimentAsync(remote)).ArtifactLocation, Is.EqualTo("s3://bucket/path"));
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = remote });
        Assert.That(run.Info.ArtifactUri, Is.EqualTo($"s3://bucket/path/{run.Info.RunId}/artifacts"));
    }

    [Test]
    public async Task Runs_are_named_from_the_request_the_tag_or_generated()
    {
        var store = OpenStore();
        var named = await store.CreateRunAsync(new CreateRunRequest { RunName = "given" });
        var tagged = await store.CreateRunAsync(new CreateRunRequest { Tags = [new RunTag("mlflow.runName", "from-tag"), new RunTag("k", "v")] });
        var generated = await store.CreateRunAsync(new CreateRunRequest());

        Assert.That(named.Data.GetTag("mlflow.runName"), Is.EqualTo("given"));
        Assert.That(tagged.Info.RunName, Is.EqualTo("from-tag"));
        Assert.That(tagged.Data.GetTag("k"), Is.EqualTo("v"));
        Assert.That(generated.Info.RunName, Does.Match(@"^[a-z]+-[a-z]+-\d{1,3}$").And.Length.LessThanOrEqualTo(20));
        Assert.That((await store.GetRunAsync(generated.Info.RunId)).Data.GetTag("mlflow.runName"), Is.EqualTo(generated.Info.RunName));

        var conflict = await Assert.ThrowsAsync<MlflowException>(() => store.CreateRunAsync(new CreateRunRequest { RunName = "a", Tags = [new RunTag("mlflow.runName", "b")] }));
        Assert.That(conflict!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.CreateRunAsync(new CreateRunRequest { ExperimentId = "999" })))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Update_renames_and_ends_runs_and_deleted_runs_refuse_writes()
    {
        var store = OpenStore();
        var run = await store.CreateRunAsync(new CreateRunRequest { RunName = "before", StartTime = T0 });
        var id = run.Info.RunId;

        var info = await store.UpdateRunInfoAsync(id, RunStatus.Finished, T0 + 1, "after");
        Assert.That(info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(info.EndTime, Is.EqualTo(T0 + 1));
        Assert.That((await store.GetRunAsync(id)).Data.GetTag("mlflow.runName"), Is.EqualTo("after"));
        var resumed = await store.UpdateRunInfoAsync(id, RunStatus.Running, null);
        Assert.That(resumed.EndTime, Is.EqualTo(T0 + 1), "a null end time leaves it");

        await store.LogBatchAsync(id, [], [], [new RunTag("mlflow.runName", "by-tag")]);
        Assert.That((await store.GetRunAsync(id)).Info.RunName, Is.EqualTo("by-tag"));

        await store.DeleteRunAsync(id);
        Assert.That((await store.GetRunAsync(id)).Info.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        foreach (var write in new Func<Task>[]
        {
            () => store.LogBatchAsync(id, [new Metric("m", 1, T0)], [], []),
            () => store.UpdateRunInfoAsync(id, RunStatus.Finished, T0),
            () => store.DeleteTagAsync(id, "mlflow.runName"),
            () => store.LogInputsAsync(id, [new DatasetInput(new Dataset("d", "1", "local", "{}"))]),
        })
        {
            var error = await Assert.ThrowsAsync<MlflowException>(() => write());
            Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
            Assert.That(error.Message, Does.Contain("must be in the 'active' state"));
        }

        await store.RestoreRunAsync(id);
        await store.LogBatchAsync(id, [new Metric("m", 1, T0)], [], []);
        Assert.That((await store.GetRunAsync(id)).Data.GetMetric("m"), Is.Not.Null);
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync("0123456789abcdef0123456789abcdef")))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Log_batch_keeps_params_immutable_tags_last_wins_and_latest_metric_by_step()
    {
        var store = OpenStore();
        var id = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        await store.LogBatchAsync(
            id,
            [new Metric("m", 5, T0 + 9, 1), new Metric("m", 7, T0, 3), new Metric("m", 1, T0 + 99, 2), new Metric("m", 6, T0, 3)],
            [new Param("p", "1")],
            [new RunTag("t", "a"), new RunTag("t", "b")]);
        await store.LogBatchAsync(id, [], [new Param("p", "1")], []);

        var run = await store.GetRunAsync(id);
        Assert.That(run.Data.GetMetric("m"), Is.EqualTo(new Metric("m", 7, T0, 3)));
        Assert.That(run.Data.GetTag("t"), Is.EqualTo("b"));
        Assert.That((await store.GetMetricHistoryAsync(id, "m")).Items.Select(m => m.Value), Is.EqualTo(new double[] { 5, 7, 1, 6 }));

        var changed = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(id, [], [new Param("p", "2")], []));
        Assert.That(changed!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(changed.Message, Does.Contain("Changing param values is not allowed").And.Contain("value='1'").And.Contain("'2'"));
        Assert.That(ReadFile($"0/{id}/params/p"), Is.EqualTo("1"));
    }

    [Test]
    public async Task Keys_used_as_folders_and_files_at_once_get_a_clear_error()
    {
        var store = OpenStore();
        var id = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        await store.LogBatchAsync(id, [new Metric("a", 1, T0)], [new Param("a", "1")], [new RunTag("a/b", "1")]);

        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(id, [new Metric("a/b", 1, T0)], [], [])))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(id, [], [new Param("a/b", "1")], [])))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(id, [], [], [new RunTag("a", "1")])))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Delete_tag_removes_the_file_and_a_missing_tag_is_not_found()
    {
        var store = OpenStore();
        var id = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        await store.LogBatchAsync(id, [], [], [new RunTag("x/y", "z")]);
        await store.DeleteTagAsync(id, "x/y");

        Assert.That((await store.GetRunAsync(id)).Data.GetTag("x/y"), Is.Null);
        var missing = await Assert.ThrowsAsync<MlflowException>(() => store.DeleteTagAsync(id, "x/y"));
        Assert.That(missing!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(missing.Message, Is.EqualTo($"No tag with name: x/y in run with id {id}"));
    }

    [Test]
    public async Task Inputs_are_logged_once_per_dataset_and_run()
    {
        var store = OpenStore();
        var first = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        var second = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        var input = new DatasetInput(new Dataset("iris", "4a5c7d0e", "local", "{\"uri\": \"/data/iris.csv\"}"), [new InputTag("mlflow.data.context", "training")]);
        await store.LogInputsAsync(first, [input]);
        await store.LogInputsAsync(first, [input]);
        await store.LogInputsAsync(second, [input]);

        Assert.That((await store.GetRunAsync(first)).Inputs.DatasetInputs, Has.Count.EqualTo(1));
        var read = (await store.GetRunAsync(second)).Inputs.DatasetInputs.Single();
        Assert.That(read.Dataset, Is.EqualTo(input.Dataset));
        Assert.That(read.Tags, Is.EqualTo(input.Tags));
        Assert.That(Directory.GetDirectories(Path.Combine(Root, "0", "datasets")), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Logged_model_json_without_mandatory_fields_is_rejected()
    {
        var store = OpenStore();
        var id = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        var error = await Assert.ThrowsAsync<MlflowException>(() => store.RecordLoggedModelAsync(id, "{\"artifact_path\": \"model\"}"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("Model json is missing mandatory fields").And.Contain("flavors"));
    }

    [Test]
    public async Task A_store_opens_from_file_uris()
    {
        var fromUri = FileTrackingStore.FromUri("file://" + Root);
        var fromPath = FileTrackingStore.FromUri(Root);
        var id = await fromUri.CreateExperimentAsync("via-uri");

        Assert.That(fromUri.RootDirectory, Is.EqualTo(Root));
        Assert.That((await fromPath.GetExperimentAsync(id)).Name, Is.EqualTo("via-uri"));
        Assert.That(FileTrackingStore.FromUri("file:///tmp/a%20b").RootDirectory, Is.EqualTo("/tmp/a b"));
        Assert.That(() => FileTrackingStore.FromUri("http://localhost:5000"), Throws.TypeOf<MlflowException>());
        Assert.That(() => FileTrackingStore.FromUri("file://otherhost/x"), Throws.TypeOf<MlflowException>());
    }

    [Test]
    public async Task Unknown_files_and_fields_are_ignored_on_read()
    {
        var store = OpenStore();
        var id = (await store.CreateRunAsync(new CreateRunRequest { RunName = "r" })).Info.RunId;
        System.IO.File.AppendAllText(Path.Combine(Root, "0", id, "meta.yaml"), "future_field: 42\nnested_future:\n  a: b\n");
        System.IO.File.WriteAllText(Path.Combine(Root, "0", "stray-file.txt"), "x");
        Directory.CreateDirectory(Path.Combine(Root, "not-an-experiment"));
        Directory.CreateDirectory(Path.Combine(Root, "0", "traces", "abc"));
        Directory.CreateDirectory(Path.Combine(Root, "0", "no-meta-run"));

        Assert.That((await store.GetRunAsync(id)).Info.RunName, Is.EqualTo("r"));
        var all = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"] });
        Assert.That(all.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { id }));
        var experiments = await store.SearchExperimentsAsync(new SearchExperimentsRequest());
        Assert.That(experiments.Items.Select(e => e.ExperimentId), Is.EqualTo(new[] { "0" }));
    }
}
