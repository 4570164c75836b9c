using static MlWorkflow.Server.Tests.MlflowAssert;
namespace MlWorkflow.Server.Tests.Contract;

/// <summary>Runs: creation, update, lifecycle, logging, history and inputs.</summary>
public abstract partial class TrackingStoreContract
{
    [Test]
    public async Task Created_run_is_running_with_its_name_user_start_and_tags()
    {
        var experimentId = await Store.CreateExperimentAsync("runs");

        var run = await Store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "baseline", StartTime = T0, UserId = "alice", Tags = [new RunTag("mlflow.source.type", "LOCAL")] });
        var read = await Store.GetRunAsync(run.Info.RunId);

        Assert.That(read.Info.RunId, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(read.Info.ExperimentId, Is.EqualTo(experimentId));
        Assert.That(read.Info.RunName, Is.EqualTo("baseline"));
        Assert.That(read.Info.UserId, Is.EqualTo("alice"));
        Assert.That(read.Info.Status, Is.EqualTo(RunStatus.Running));
        Assert.That(read.Info.StartTime, Is.EqualTo(T0));
        Assert.That(read.Info.EndTime, Is.Null);
        Assert.That(read.Info.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
        Assert.That(read.Info.ArtifactUri, Does.EndWith("/" + experimentId + "/" + run.Info.RunId + "/artifacts"));
        Assert.That(read.Data.GetTag("mlflow.runName"), Is.EqualTo("baseline"));
        Assert.That(read.Data.GetTag("mlflow.source.type"), Is.EqualTo("LOCAL"));
        Assert.That(run.Info, Is.EqualTo(read.Info));
    }

    [Test]
    public async Task Run_without_a_name_gets_a_generated_one()
    {
        var (_, run) = await NewRunAsync();

        Assert.That(run.Info.RunName, Is.Not.Empty);
        Assert.That(run.Data.GetTag("mlflow.runName"), Is.EqualTo(run.Info.RunName));
    }

    [Test]
    public async Task Run_in_an_unknown_experiment_is_resource_does_not_exist()
    {
        var error = await Fails(() => Store.CreateRunAsync(new CreateRunRequest { ExperimentId = "987654321", StartTime = T0 }));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Unknown_run_is_resource_does_not_exist()
    {
        var error = await Fails(() => Store.GetRunAsync("0123456789abcdef0123456789abcdef"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Update_sets_status_end_time_and_name()
    {
        var (_, run) = await NewRunAsync("first");

        var info = await Store.UpdateRunInfoAsync(run.Info.RunId, RunStatus.Finished, T0 + 5000, "second");
        var read = await Store.GetRunAsync(run.Info.RunId);

        Assert.That(info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(info.EndTime, Is.EqualTo(T0 + 5000));
        Assert.That(info.RunName, Is.EqualTo("second"));
        Assert.That(read.Info, Is.EqualTo(info));
        Assert.That(read.Data.GetTag("mlflow.runName"), Is.EqualTo("second"));
    }

    [Test]
    public async Task Delete_and_restore_run_switch_its_stage()
    {
        var (experimentId, run) = await NewRunAsync();

        await Store.DeleteRunAsync(run.Info.RunId);
        var deleted = await Store.GetRunAsync(run.Info.RunId);
        var activeSearch = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId] });
        var deletedSearch = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], RunViewType = ViewType.DeletedOnly });
        await Store.RestoreRunAsync(run.Info.RunId);

        Assert.That(deleted.Info.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(activeSearch.Items, Is.Empty);
        Assert.That(deletedSearch.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { run.Info.RunId }));
        Assert.That((await Store.GetRunAsync(run.Info.RunId)).Info.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
    }

    [Test]
    public async Task Logging_to_a_deleted_run_is_invalid_parameter()
    {
        var (_, run) = await NewRunAsync();
        await Store.DeleteRunAsync(run.Info.RunId);

        var error = await Fails(() => Store.LogBatchAsync(run.Info.RunId, [new Metric("m", 1, T0)], [], []));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Log_batch_writes_latest_metrics_params_and_tags()
    {
        var (_, run) = await NewRunAsync();

        await Store.LogBatchAsync(
            run.Info.RunId,
            [new Metric("loss", 0.9, T0, 0), new Metric("loss", 0.5, T0 + 1, 1), new Metric("acc", 0.75, T0, 0)],
            [new Param("lr", "0.01"), new Param("layers", "3")],
            [new RunTag("phase", "train"), new RunTag("phase", "eval")]);
        var data = (await Store.GetRunAsync(run.Info.RunId)).Data;

        Assert.That(data.GetMetric("loss"), Is.EqualTo(new Metric("loss", 0.5, T0 + 1, 1)));
        Assert.That(data.GetMetric("acc"), Is.EqualTo(new Metric("acc", 0.75, T0, 0)));
        Assert.That(data.GetParam("lr"), Is.EqualTo("0.01"));
        Assert.That(data.GetParam("layers"), Is.EqualTo("3"));
        Assert.That(data.GetTag("phase"), Is.EqualTo("eval"));
    }

    [Test]
    public async Task Non_finite_metric_values_and_large_int64_fields_round_trip()
    {
        var (_, run) = await NewRunAsync();
        var late = 253_402_300_799_999L;
        var step = 9_007_199_254_740_993L;

        await Store.LogBatchAsync(run.Info.RunId, [new Metric("x", double.NaN, T0, 0), new Metric("x", double.PositiveInfinity, T0, 1), new Metric("x", double.NegativeInfinity, T0, 2), new Metric("x", 1e-300, late, step)], [], []);
        var history = await Store.GetMetricHistoryAsync(run.Info.RunId, "x");

        Assert.That(history.Items.Select(m => m.Value), Is.EqualTo(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-300 }));
        Assert.That(history.Items[3].Timestamp, Is.EqualTo(late));
        Assert.That(history.Items[3].Step, Is.EqualTo(step));
    }

    [Test]
    public async Task Param_logged_again_with_the_same_value_is_accepted()
    {
        var (_, run) = await NewRunAsync();

        await Store.LogBatchAsync(run.Info.RunId, [], [new Param("p", "1")], []);
        await Store.LogBatchAsync(run.Info.RunId, [], [new Param("p", "1")], []);

        Assert.That((await Store.GetRunAsync(run.Info.RunId)).Data.GetParam("p"), Is.EqualTo("1"));
    }

    [Test]
    public async Task Param_logged_again_with_another_value_fails_and_keeps_the_first()
    {
        var (_, run) = await NewRunAsync();
        await Store.LogBatchAsync(run.Info.RunId, [], [new Param("p", "1")], []);

        var error = await Fails(() => Store.LogBatchAsync(run.Info.RunId, [], [new Param("p", "2")], []));

        Assert.That(error.ErrorCode, Is.EqualTo(ParamConflictCode));
        Assert.That(error.Message, Does.Contain("Changing param values is not allowed"));
        Assert.That((await Store.GetRunAsync(run.Info.RunId)).Data.GetParam("p"), Is.EqualTo("1"));
    }

    [Test]
    public async Task Batch_over_the_metric_limit_is_invalid_parameter()
    {
        var (_, run) = await NewRunAsync();
        var metrics = Enumerable.Range(0, 1001).Select(i => new Metric("m", i, T0, i)).ToArray();

        var error = await Fails(() => Store.LogBatchAsync(run.Info.RunId, metrics, [], []));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Key_that_escapes_its_folder_is_invalid_parameter()
    {
        var (_, run) = await NewRunAsync();

        var error = await Fails(() => Store.LogBatchAsync(run.Info.RunId, [new Metric("../escape", 1, T0)], [], []));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Metric_history_keeps_logging_order_and_pages()
    {
        var (_, run) = await NewRunAsync();
        var logged = Enumerable.Range(0, 10).Select(i => new Metric("loss", 1.0 / (i + 1), T0 + i, i)).ToArray();
        await Store.LogBatchAsync(run.Info.RunId, logged[..6], [], []);
        await Store.LogBatchAsync(run.Info.RunId, logged[6..], [], []);

        var all = await Store.GetMetricHistoryAsync(run.Info.RunId, "loss");
        var paged = new List<Metric>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.GetMetricHistoryAsync(run.Info.RunId, "loss", 3, token);
            paged.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.That(all.Items, Is.EqualTo(logged));
        Assert.That(all.NextPageToken, Is.Null);
        Assert.That(paged, Is.EqualTo(logged));
        Assert.That(pages, Is.EqualTo(4));
    }

    [Test]
    public async Task Metric_history_of_an_unknown_key_is_empty()
    {
        var (_, run) = await NewRunAsync();

        var history = await Store.GetMetricHistoryAsync(run.Info.RunId, "never-logged");

        Assert.That(history.Items, Is.Empty);
    }

    [Test]
    public async Task Metric_history_of_an_unknown_run_is_resource_does_not_exist()
    {
        var error = await Fails(() => Store.GetMetricHistoryAsync("0123456789abcdef0123456789abcdef", "loss"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Delete_tag_removes_it_and_a_missing_tag_is_resource_does_not_exist()
    {
        var (_, run) = await NewRunAsync();
        await Store.LogBatchAsync(run.Info.RunId, [], [], [new RunTag("t", "v")]);

        await Store.DeleteTagAsync(run.Info.RunId, "t");
        var error = await Fails(() => Store.DeleteTagAsync(run.Info.RunId, "t"));

        Assert.That((await Store.GetRunAsync(run.Info.RunId)).Data.GetTag("t"), Is.Null);
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Logged_inputs_read_back_once()
    {
        var (_, run) = await NewRunAsync();
        var input = new DatasetInput(new Dataset("iris", "4a5c7d0e", "local", "{\"uri\": \"/data/iris.csv\"}", "{\"mlflow_colspec\": []}", "{\"num_rows\": 150}"), [new InputTag("mlflow.data.context", "training")]);

        await Store.LogInputsAsync(run.Info.RunId, [input]);
        await Store.LogInputsAsync(run.Info.RunId, [input]);
        var inputs = (await Store.GetRunAsync(run.Info.RunId)).Inputs.DatasetInputs;

        Assert.That(inputs, Has.Count.EqualTo(1));
        Assert.That(inputs[0].Dataset, Is.EqualTo(input.Dataset));
        Assert.That(inputs[0].Tags, Is.EqualTo(input.Tags));
    }

    [Test]
    public async Task Recorded_model_lands_in_the_log_model_history_tag()
    {
        var (_, run) = await NewRunAsync();
        var model = "{\"run_id\": \"" + run.Info.RunId + "\", \"artifact_path\": \"model\", \"utc_time_created\": \"2025-01-01 12:00:01.123456\", \"flavors\": {\"mlnet\": {\"model_file\": \"model.zip\"}}}";

        await Store.RecordLoggedModelAsync(run.Info.RunId, model);
        var history = (await Store.GetRunAsync(run.Info.RunId)).Data.GetTag("mlflow.log-model.history");

        Assert.That(history, Does.Contain("\"artifact_path\": \"model\""));
    }
}
