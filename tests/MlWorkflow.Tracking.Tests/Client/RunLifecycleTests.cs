using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

/// <summary>Runs end as MLflow's <c>with start_run()</c> ends them, and take nothing after they end (issue 11.3, 11.9).</summary>
public class RunLifecycleTests
{
    private TemporaryDirectory _temp = null!;
    private MlflowClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _client = new MlflowClient(new FileTrackingStore(_temp.Combine("mlruns")));
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task RunAsync_ends_the_run_failed_and_rethrows_when_the_body_throws()
    {
        string? runId = null;
        var error = await Assert.ThrowsAsync<FormatException>(() => _client.RunAsync("failing", async run =>
        {
            runId = run.RunId;
            run.LogMetric("loss", 0.5);
            await Task.Yield();
            throw new FormatException("bad row 7");
        }));

        Assert.That(error!.Message, Is.EqualTo("bad row 7"));
        var stored = await _client.GetRunAsync(runId!);
        Assert.That(stored.Info.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(stored.Info.EndTime, Is.Not.Null);
        Assert.That(stored.Data.GetMetric("loss")!.Value, Is.EqualTo(0.5), "what was logged before the failure is kept");
    }

    [Test]
    public async Task RunAsync_ends_the_run_killed_when_the_body_is_cancelled()
    {
        string? runId = null;
        using var cancellation = new CancellationTokenSource();
        await Assert.CatchAsync<OperationCanceledException>(() => _client.RunAsync("cancelled", async run =>
        {
            runId = run.RunId;
            await cancellation.CancelAsync();
            cancellation.Token.ThrowIfCancellationRequested();
        }));

        Assert.That((await _client.GetRunAsync(runId!)).Info.Status, Is.EqualTo(RunStatus.Killed));
    }

    [Test]
    public async Task RunAsync_ends_the_run_finished_and_returns_the_body_s_result()
    {
        var (runId, answer) = await _client.RunAsync("fine", run =>
        {
            run.LogParam("answer", 42);
            return Task.FromResult((run.RunId, 42));
        });

        var stored = await _client.GetRunAsync(runId);
        Assert.That(answer, Is.EqualTo(42));
        Assert.That(stored.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(stored.Data.GetParam("answer"), Is.EqualTo("42"));
        Assert.That((await _client.GetExperimentByNameAsync("fine"))!.ExperimentId, Is.EqualTo(stored.Info.ExperimentId));
    }

    [Test]
    public async Task Await_using_ends_the_run_finished_even_after_an_exception_as_documented()
    {
        string? runId = null;
        try
        {
            await using var run = await _client.StartRunAsync("await-using");
            runId = run.RunId;
            throw new InvalidDataException("inside the block");
        }
        catch (InvalidDataException)
        {
        }

        Assert.That((await _client.GetRunAsync(runId!)).Info.Status, Is.EqualTo(RunStatus.Finished));
    }

    [Test]
    public async Task StartRunAsync_takes_an_experiment_name_and_creates_the_experiment()
    {
        await using var run = await _client.StartRunAsync("by-name", runName: "r1");
        var experiment = await _client.GetExperimentByNameAsync("by-name");
        Assert.That(run.ExperimentId, Is.EqualTo(experiment!.ExperimentId));
        Assert.That((await _client.GetRunAsync(run.RunId)).Info.RunName, Is.EqualTo("r1"));
    }

    [Test]
    public async Task After_EndAsync_metrics_params_tags_artifacts_and_inputs_are_all_refused()
    {
        var run = await _client.StartRunAsync("ended");
        await run.LogTextAsync("before.txt", "kept");
        await run.EndAsync();

        Assert.That(() => run.LogMetric("m", 1), Throws.InvalidOperationException.With.Message.Contains("has ended"));
        Assert.That(() => run.LogParam("p", 1), Throws.InvalidOperationException.With.Message.Contains("has ended"));
        Assert.That(() => run.SetTag("t", "v"), Throws.InvalidOperationException.With.Message.Contains("has ended"));
        var text = await Assert.ThrowsAsync<InvalidOperationException>(() => run.LogTextAsync("after.txt", "refused"));
        var file = await Assert.ThrowsAsync<InvalidOperationException>(() => run.LogArtifactAsync(_temp.Combine("mlruns")));
        var input = await Assert.ThrowsAsync<InvalidOperationException>(() => run.LogInputAsync(new Dataset("d", "digest", "local", "{}")));
        Assert.That(new[] { text!.Message, file!.Message, input!.Message }, Has.All.Contains(run.RunId).And.All.Contains("has ended"));
        var artifacts = await run.ListArtifactsAsync();
        Assert.That(artifacts.Select(a => a.Path), Is.EqualTo(new[] { "before.txt" }));
    }

    [Test]
    public async Task LogParams_takes_a_dictionary_of_objects_without_nullability_warnings()
    {
        // This file builds with warnings as errors: CS8620 on this exact call would fail the build.
        await using var run = await _client.StartRunAsync("params");
        run.LogParams(new Dictionary<string, object> { ["depth"] = 5, ["name"] = "tree" });
        run.LogParams(new Dictionary<string, int> { ["leaves"] = 31 });
        run.LogParams(new Dictionary<string, object?> { ["seed"] = null });
        await run.FlushAsync();

        var stored = await _client.GetRunAsync(run.RunId);
        Assert.That(stored.Data.GetParam("depth"), Is.EqualTo("5"));
        Assert.That(stored.Data.GetParam("name"), Is.EqualTo("tree"));
        Assert.That(stored.Data.GetParam("leaves"), Is.EqualTo("31"));
        Assert.That(stored.Data.GetParam("seed"), Is.EqualTo("None"));
    }

    [Test]
    public async Task Sequence_params_are_written_as_python_lists()
    {
        await using var run = await _client.StartRunAsync("lists");
        run.LogParam("layers", new[] { 1, 2, 3 });
        run.LogParam("names", new List<string> { "a", "it's" });
        run.LogParam("rates", new[] { 0.5, 1.0, 1e-5 });
        run.LogParam("flags", new object?[] { true, null });
        run.LogParam("grid", new Dictionary<string, int[]> { ["depth"] = [3, 5] });
        await run.FlushAsync();

        var stored = await _client.GetRunAsync(run.RunId);
        Assert.That(stored.Data.GetParam("layers"), Is.EqualTo("[1, 2, 3]"));
        Assert.That(stored.Data.GetParam("names"), Is.EqualTo("['a', \"it's\"]"));
        Assert.That(stored.Data.GetParam("rates"), Is.EqualTo("[0.5, 1.0, 1e-05]"));
        Assert.That(stored.Data.GetParam("flags"), Is.EqualTo("[True, None]"));
        Assert.That(stored.Data.GetParam("grid"), Is.EqualTo("{'depth': [3, 5]}"));
    }

    [Test]
    public async Task SearchRunsAsync_reads_as_mlflow_search_runs_and_stops_at_max_results()
    {
        for (var i = 0; i < 5; i++)
        {
            await _client.RunAsync("searched", run =>
            {
                run.LogMetric("rmse", i);
                run.LogParam("model", i % 2 == 0 ? "tree" : "linear");
                return Task.CompletedTask;
            });
        }

        var trees = await _client.SearchRunsAsync(experimentNames: ["searched"], filterString: "params.model = 'tree'", maxResults: 2, orderBy: ["metrics.rmse DESC"]);
        var all = await _client.SearchRunsAsync(experimentNames: ["searched"]);

        Assert.That(trees.Select(r => r.Data.GetMetric("rmse")!.Value), Is.EqualTo(new[] { 4.0, 2.0 }));
        Assert.That(all, Has.Count.EqualTo(5));
        var missing = await Assert.ThrowsAsync<MlflowException>(() => _client.SearchRunsAsync(experimentNames: ["no-such-experiment"]));
        Assert.That(missing!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(missing.Message, Does.Contain("no-such-experiment"));
    }
}
