using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;
using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

[NonParallelizable]
public class MlflowClientTests
{
    private static readonly string[] EnvironmentVariables =
        ["MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID", "MLFLOW_RUN_CONTEXT"];

    private TemporaryDirectory _temp = null!;
    private Dictionary<string, string?> _savedEnvironment = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _savedEnvironment = EnvironmentVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        foreach (var variable in EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var (variable, value) in _savedEnvironment)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        _temp.Dispose();
    }

    [Test]
    public async Task Create_uses_a_plain_path_a_file_uri_or_the_environment()
    {
        var byPath = MlflowClient.Create(_temp.Combine("a"));
        var byUri = MlflowClient.Create(new Uri(_temp.Combine("b")).AbsoluteUri);
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", _temp.Combine("c"));
        var byEnvironment = MlflowClient.Create();

        foreach (var (client, folder) in new[] { (byPath, "a"), (byUri, "b"), (byEnvironment, "c") })
        {
            await client.GetOrCreateExperimentAsync("x");
            Assert.That(client.TrackingUri, Is.EqualTo(new Uri(_temp.Combine(folder)).AbsoluteUri));
            Assert.That(File.Exists(_temp.Combine(folder, "0", "meta.yaml")), Is.True, "the default experiment is made on first use");
        }
    }

    [Test]
    public void Create_without_anything_uses_mlruns_in_the_current_folder() =>
        Assert.That(TrackingUri.Resolve(), Is.EqualTo(new Uri(Path.GetFullPath("mlruns")).AbsoluteUri));

    [TestCase("databricks")]
    [TestCase("databricks://profile")]
    public void Unsupported_tracking_uris_fail_clearly(string uri)
    {
        var error = Assert.Throws<MlflowException>(() => MlflowClient.Create(uri));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.NotImplemented));
        Assert.That(error.Message, Does.Contain(uri.TrimEnd('/')));
    }

    [Test]
    public void An_http_uri_opens_the_rest_store()
    {
        var client = MlflowClient.Create("http://127.0.0.1:5000/");
        Assert.That(client.Store, Is.TypeOf<RestTrackingStore>());
        Assert.That(client.TrackingUri, Is.EqualTo("http://127.0.0.1:5000"));
    }

    [Test]
    public async Task Get_or_create_returns_one_experiment_under_a_race()
    {
        var client = MlflowClient.Create(_temp.Path);
        var experiments = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.GetOrCreateExperimentAsync("raced"))));
        Assert.That(experiments.Select(e => e.ExperimentId).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Get_or_create_refuses_a_deleted_experiment()
    {
        var client = MlflowClient.Create(_temp.Path);
        var experiment = await client.GetOrCreateExperimentAsync("gone");
        await client.DeleteExperimentAsync(experiment.ExperimentId);
        var error = await Assert.ThrowsAsync<MlflowException>(() => client.GetOrCreateExperimentAsync("gone"));
        Assert.That(error!.Message, Does.Contain("deleted").And.Contain("gone"));
    }

    [Test]
    public async Task Log_batch_splits_large_batches_within_mlflow_limits()
    {
        var client = MlflowClient.Create(_temp.Path);
        var run = await client.CreateRunAsync(new CreateRunRequest());
        var metrics = Enumerable.Range(0, 2_500).Select(i => new Metric("m", i, 1_700_000_000_000, i)).ToArray();
        var parameters = Enumerable.Range(0, 250).Select(i => new Param($"p{i}", "v")).ToArray();
        var tags = Enumerable.Range(0, 120).Select(i => new RunTag($"t{i}", "v")).ToArray();

        await client.LogBatchAsync(run.Info.RunId, metrics, parameters, tags);

        var stored = await client.GetRunAsync(run.Info.RunId);
        Assert.That(stored.Data.Params, Has.Count.EqualTo(250));
        Assert.That(stored.Data.Tags.Count(t => t.Key.StartsWith('t')), Is.EqualTo(120));
        var history = await client.GetMetricHistoryAsync(run.Info.RunId, "m");
        Assert.That(history.Select(m => m.Value), Is.EqualTo(metrics.Select(m => m.Value)));
    }

    [Test]
    public async Task Single_calls_log_metric_param_and_tag_and_delete_a_tag()
    {
        var client = MlflowClient.Create(_temp.Path);
        var run = await client.CreateRunAsync(new CreateRunRequest());
        await client.LogMetricAsync(run.Info.RunId, "acc", 0.9, step: 2);
        await client.LogParamAsync(run.Info.RunId, "lr", 0.01);
        await client.SetTagAsync(run.Info.RunId, "t", "v");
        await client.DeleteTagAsync(run.Info.RunId, "t");
        var ended = await client.SetTerminatedAsync(run.Info.RunId);

        var stored = await client.GetRunAsync(run.Info.RunId);
        Assert.That(stored.Data.GetMetric("acc"), Has.Property("Value").EqualTo(0.9).And.Property("Step").EqualTo(2));
        Assert.That(stored.Data.GetParam("lr"), Is.EqualTo("0.01"));
        Assert.That(stored.Data.GetTag("t"), Is.Null);
        Assert.That(ended.Status, Is.EqualTo(RunStatus.Finished));
    }

    [Test]
    public async Task Experiment_name_from_the_environment_is_created_when_missing()
    {
        var client = MlflowClient.Create(_temp.Path);
        Environment.SetEnvironmentVariable("MLFLOW_EXPERIMENT_NAME", "from-env");
        await using var run = await client.StartRunAsync();
        var experiment = await client.GetExperimentByNameAsync("from-env");
        Assert.That(run.ExperimentId, Is.EqualTo(experiment!.ExperimentId));
    }

    [Test]
    public async Task Experiment_id_from_the_environment_must_exist()
    {
        var client = MlflowClient.Create(_temp.Path);
        var id = await client.CreateExperimentAsync("by-id");
        Environment.SetEnvironmentVariable("MLFLOW_EXPERIMENT_ID", id);
        await using (var run = await client.StartRunAsync())
        {
            Assert.That(run.ExperimentId, Is.EqualTo(id));
        }

        Environment.SetEnvironmentVariable("MLFLOW_EXPERIMENT_ID", "424242");
        var error = await Assert.ThrowsAsync<MlflowException>(() => client.StartRunAsync());
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Without_an_experiment_runs_go_to_the_default_one()
    {
        var client = MlflowClient.Create(_temp.Path);
        await using var run = await client.StartRunAsync();
        Assert.That(run.ExperimentId, Is.EqualTo("0"));
    }

    [Test]
    public async Task Run_id_from_the_environment_resumes_that_run_once()
    {
        var client = MlflowClient.Create(_temp.Path);
        var first = await client.StartRunAsync();
        first.LogMetric("m", 1);
        await first.EndAsync();

        Environment.SetEnvironmentVariable("MLFLOW_RUN_ID", first.RunId);
        var resumed = await client.StartRunAsync(tags: new Dictionary<string, string> { ["resumed"] = "yes" });
        Assert.That(resumed.RunId, Is.EqualTo(first.RunId));
        Assert.That(Environment.GetEnvironmentVariable("MLFLOW_RUN_ID"), Is.Null);
        Assert.That((await client.GetRunAsync(first.RunId)).Info.Status, Is.EqualTo(RunStatus.Running));
        resumed.LogMetric("m", 2, step: 1);
        await resumed.EndAsync();

        var stored = await client.GetRunAsync(first.RunId);
        Assert.That(stored.Data.GetTag("resumed"), Is.EqualTo("yes"));
        Assert.That(stored.Data.GetMetric("m")!.Value, Is.EqualTo(2));
        await using var fresh = await client.StartRunAsync();
        Assert.That(fresh.RunId, Is.Not.EqualTo(first.RunId));
    }

    [Test]
    public async Task Run_context_tags_come_from_the_environment()
    {
        var client = MlflowClient.Create(_temp.Path);
        Environment.SetEnvironmentVariable("MLFLOW_RUN_CONTEXT", "{\"ci.job\": \"build-42\"}");
        await using var run = await client.StartRunAsync();
        Assert.That((await client.GetRunAsync(run.RunId)).Data.GetTag("ci.job"), Is.EqualTo("build-42"));
    }
}
