using System.Text.Json;
using MlWorkflow.Tracking.Logging;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

public class ActiveRunTests
{
    private TemporaryDirectory _temp = null!;
    private MlflowClient _client = null!;
    private Experiment _experiment = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TemporaryDirectory();
        _client = new MlflowClient(new FileTrackingStore(_temp.Combine("mlruns")));
        _experiment = await _client.GetOrCreateExperimentAsync("active-run-tests");
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task Everything_logged_is_in_the_store_after_the_run_ends()
    {
        var run = await _client.StartRunAsync(_experiment, runName: "first", tags: new Dictionary<string, string> { ["team"] = "a" });
        run.LogParam("max_depth", 5);
        run.LogParam("learning_rate", 0.1);
        run.LogParam("use_gpu", false);
        run.SetTag("stage", "dev");
        for (var step = 0; step < 50; step++)
        {
            run.LogMetric("loss", 1.0 / (step + 1), step);
        }

        run.LogMetric("rmse", 0.31);
        await run.EndAsync();

        var stored = await _client.GetRunAsync(run.RunId);
        Assert.That(stored.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(stored.Info.EndTime, Is.Not.Null);
        Assert.That(stored.Info.RunName, Is.EqualTo("first"));
        Assert.That(stored.Data.GetParam("max_depth"), Is.EqualTo("5"));
        Assert.That(stored.Data.GetParam("learning_rate"), Is.EqualTo("0.1"));
        Assert.That(stored.Data.GetParam("use_gpu"), Is.EqualTo("False"));
        Assert.That(stored.Data.GetTag("stage"), Is.EqualTo("dev"));
        Assert.That(stored.Data.GetTag("team"), Is.EqualTo("a"));
        Assert.That(stored.Data.GetMetric("loss")!.Value, Is.EqualTo(1.0 / 50));
        Assert.That(stored.Data.GetMetric("loss")!.Step, Is.EqualTo(49));
        Assert.That(stored.Data.GetMetric("rmse")!.Value, Is.EqualTo(0.31));
        var history = await _client.GetMetricHistoryAsync(run.RunId, "loss");
        Assert.That(history.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
    }

    [Test]
    public async Task System_tags_are_set_as_mlflow_sets_them()
    {
        await using var run = await _client.StartRunAsync(_experiment, runName: "tagged", description: "# Notes\nline two");
        var stored = await _client.GetRunAsync(run.RunId);
        Assert.That(stored.Data.GetTag("mlflow.runName"), Is.EqualTo("tagged"));
        Assert.That(stored.Data.GetTag("mlflow.user"), Is.Not.Empty);
        Assert.That(stored.Data.GetTag("mlflow.source.type"), Is.EqualTo("LOCAL"));
        Assert.That(stored.Data.GetTag("mlflow.source.name"), Is.Not.Empty);
        Assert.That(stored.Data.GetTag("mlflow.note.content"), Is.EqualTo("# Notes\nline two"));
        Assert.That(stored.Info.Status, Is.EqualTo(RunStatus.Running));
    }

    [Test]
    public async Task Interleaved_keys_keep_each_history_in_logging_order()
    {
        await using var run = await _client.StartRunAsync(_experiment);
        for (var step = 0; step < 600; step++)
        {
            for (var key = 0; key < 5; key++)
            {
                run.LogMetric($"m{key}", step * 10 + key, step);
            }
        }

        await run.FlushAsync();
        for (var key = 0; key < 5; key++)
        {
            var history = await _client.GetMetricHistoryAsync(run.RunId, $"m{key}");
            Assert.That(history.Select(m => m.Value), Is.EqualTo(Enumerable.Range(0, 600).Select(s => (double)(s * 10 + key))));
        }
    }

    [Test]
    public async Task A_full_queue_applies_back_pressure_and_drops_nothing()
    {
        var client = new MlflowClient(_client.Store, new MlflowClientOptions { Logging = new BatchedLoggingOptions { QueueCapacity = 10 } });
        await using var run = await client.StartRunAsync(_experiment);
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                run.LogMetric($"p{p}", i, i);
            }
        })).ToArray();
        var asyncProducer = Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                await run.LogMetricAsync("async", i, i);
            }
        });
        await Task.WhenAll([.. producers, asyncProducer]);
        await run.FlushAsync();

        foreach (var key in new[] { "p0", "p1", "p2", "p3", "async" })
        {
            var history = await client.GetMetricHistoryAsync(run.RunId, key);
            Assert.That(history.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 2_000).Select(i => (long)i)), key);
        }
    }

    [Test]
    public async Task A_changed_param_value_fails_at_once_and_the_same_value_is_accepted()
    {
        await using var run = await _client.StartRunAsync(_experiment);
        run.LogParam("depth", 5);
        run.LogParam("depth", "5");
        var error = Assert.Throws<MlflowException>(() => run.LogParam("depth", 6));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("depth").And.Contain("'5'").And.Contain("'6'"));
        await run.FlushAsync();
        Assert.That((await _client.GetRunAsync(run.RunId)).Data.GetParam("depth"), Is.EqualTo("5"));
    }

    [TestCase("../escape")]
    [TestCase("/abs")]
    [TestCase("bad\0key")]
    [TestCase("")]
    public async Task Invalid_keys_fail_at_the_call(string key)
    {
        await using var run = await _client.StartRunAsync(_experiment);
        Assert.Throws<MlflowException>(() => run.LogMetric(key, 1));
        Assert.Throws<MlflowException>(() => run.LogParam(key, 1));
        Assert.Throws<MlflowException>(() => run.SetTag(key, "x"));
        await run.FlushAsync();
    }

    [Test]
    public async Task A_negative_timestamp_fails_at_the_call_even_for_a_key_seen_before()
    {
        await using var run = await _client.StartRunAsync(_experiment);
        run.LogMetric("m", 1);
        var error = Assert.Throws<MlflowException>(() => run.LogMetric("m", 2, timestamp: DateTimeOffset.FromUnixTimeMilliseconds(-5)));
        Assert.That(error!.Message, Does.Contain("timestamp"));
    }

    [Test]
    public async Task A_write_failure_is_raised_by_flush_and_later_data_still_arrives()
    {
        var run = await _client.StartRunAsync(_experiment);
        run.LogMetric("before", 1);
        await run.FlushAsync();

        // A deleted run refuses writes: the store's real error must surface at the flush, not vanish.
        await _client.DeleteRunAsync(run.RunId);
        run.LogMetric("lost", 2);
        var error = await Assert.ThrowsAsync<MlflowException>(() => run.FlushAsync());
        Assert.That(error!.Message, Does.Contain("1 queued").And.Contain(run.RunId));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));

        await _client.RestoreRunAsync(run.RunId);
        run.LogMetric("after", 3);
        await run.FlushAsync();
        await run.EndAsync();

        var stored = await _client.GetRunAsync(run.RunId);
        Assert.That(stored.Data.Metrics.Select(m => m.Key), Is.EquivalentTo(new[] { "before", "after" }));
    }

    [Test]
    public async Task Ending_with_unwritten_data_fails_the_run_and_raises()
    {
        var run = await _client.StartRunAsync(_experiment);
        await _client.DeleteRunAsync(run.RunId);
        run.LogMetric("lost", 1);

        await Assert.ThrowsAsync<MlflowException>(() => run.EndAsync());
        await _client.RestoreRunAsync(run.RunId);
        Assert.That((await _client.GetRunAsync(run.RunId)).Data.Metrics, Is.Empty);
    }

    [Test]
    public async Task Dispose_ends_the_run_finished_and_logging_afterwards_is_refused()
    {
        ActiveRun run;
        await using (run = await _client.StartRunAsync(_experiment))
        {
            run.LogMetric("m", 1);
        }

        Assert.That(run.IsEnded, Is.True);
        Assert.That((await _client.GetRunAsync(run.RunId)).Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.Throws<InvalidOperationException>(() => run.LogMetric("m", 2));
        await run.EndAsync(RunStatus.Failed);
        Assert.That((await _client.GetRunAsync(run.RunId)).Info.Status, Is.EqualTo(RunStatus.Finished), "ending twice changes nothing");
    }

    [Test]
    public async Task A_run_can_end_failed_or_killed()
    {
        var failed = await _client.StartRunAsync(_experiment);
        await failed.EndAsync(RunStatus.Failed);
        var killed = await _client.StartRunAsync(_experiment);
        await killed.EndAsync(RunStatus.Killed);
        Assert.That((await _client.GetRunAsync(failed.RunId)).Info.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That((await _client.GetRunAsync(killed.RunId)).Info.Status, Is.EqualTo(RunStatus.Killed));
    }

    [Test]
    public async Task Nested_runs_carry_their_parent()
    {
        await using var parent = await _client.StartRunAsync(_experiment, runName: "parent");
        await using var child = await parent.StartChildRunAsync("child");
        var stored = await _client.GetRunAsync(child.RunId);
        Assert.That(stored.Data.GetTag("mlflow.parentRunId"), Is.EqualTo(parent.RunId));
        Assert.That(stored.Info.ExperimentId, Is.EqualTo(_experiment.ExperimentId));
    }

    [Test]
    public async Task Artifacts_text_json_bytes_files_and_folders_are_stored_listed_and_downloaded()
    {
        await using var run = await _client.StartRunAsync(_experiment);
        await run.LogTextAsync("notes/readme.txt", "hello é");
        await run.LogJsonAsync("config/params.json", new { depth = 5, name = "rf" });
        await run.LogBytesAsync("raw/data.bin", new byte[] { 1, 2, 3 });
        var folder = _temp.Combine("model");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "MLmodel"), "flavors: {}\n");
        await run.LogArtifactAsync(folder, "model");
        var file = _temp.Combine("plot.png");
        await File.WriteAllBytesAsync(file, [0x89, 0x50]);
        await run.LogArtifactAsync(file);

        var root = await run.ListArtifactsAsync();
        Assert.That(root.Select(e => e.Path), Is.EqualTo(new[] { "config", "model", "notes", "plot.png", "raw" }));
        var downloaded = await run.DownloadArtifactsAsync(null, _temp.Combine("download"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(downloaded, "notes", "readme.txt")), Is.EqualTo("hello é"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(downloaded, "config", "params.json")));
        Assert.That(json.RootElement.GetProperty("depth").GetInt32(), Is.EqualTo(5));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(downloaded, "raw", "data.bin")), Is.EqualTo(new byte[] { 1, 2, 3 }));

        // The files are in MLflow's layout: <run folder>/artifacts/<path>.
        var runFolder = Path.Combine(_temp.Combine("mlruns"), _experiment.ExperimentId, run.RunId);
        Assert.That(File.Exists(Path.Combine(runFolder, "artifacts", "model", "MLmodel")), Is.True);
        await Assert.ThrowsAsync<MlflowException>(() => run.LogTextAsync("../../../escape.txt", "x"));
        Assert.That(File.Exists(Path.Combine(_temp.Combine("mlruns"), "escape.txt")), Is.False);
    }

    [Test]
    public async Task A_dataset_input_is_recorded()
    {
        await using var run = await _client.StartRunAsync(_experiment);
        await run.LogInputAsync(new Dataset("txhousing", "abc12345", "local", "{\"uri\": \"/data/tx.csv\"}"), "training");
        var stored = await _client.GetRunAsync(run.RunId);
        var input = stored.Inputs.DatasetInputs.Single();
        Assert.That(input.Dataset.Name, Is.EqualTo("txhousing"));
        Assert.That(input.Tags, Is.EqualTo(new[] { new InputTag("mlflow.data.context", "training") }));
    }

    [Test]
    public async Task Timestamps_come_from_the_injected_clock()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        var client = new MlflowClient(_client.Store, new MlflowClientOptions { TimeProvider = clock });
        var run = await client.StartRunAsync(_experiment);
        run.LogMetric("m", 1);
        await run.EndAsync();
        var stored = await client.GetRunAsync(run.RunId);
        Assert.That(stored.Info.StartTime, Is.EqualTo(1_700_000_000_123));
        Assert.That(stored.Info.EndTime, Is.EqualTo(1_700_000_000_123));
        Assert.That(stored.Data.GetMetric("m")!.Timestamp, Is.EqualTo(1_700_000_000_123));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
