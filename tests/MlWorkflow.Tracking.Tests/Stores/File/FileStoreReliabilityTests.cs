using System.Diagnostics;
using System.Diagnostics.Metrics;
using MlWorkflow.Tracking;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Issue 10.1, 10.2 and 10.7 on a real store: a batch is all or nothing, torn lines never glue to the next point, keys the file system cannot hold are a 400.</summary>
public class FileStoreReliabilityTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;

    private static readonly string LongNonAsciiKey = new('é', 130); // 130 characters (within MLflow's 250), 260 bytes: no file name holds it

    [Test]
    public async Task A_key_too_long_for_a_file_name_fails_the_whole_batch_before_anything_is_written()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var runFolder = Path.Combine(Root, "0", run.RunId);
        var before = Snapshot(runFolder);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(
            run.RunId,
            [new Metric("loss", 0.5, T0, 0), new Metric(LongNonAsciiKey, 1, T0, 0)],
            [new Param("lr", "0.1")],
            [new RunTag("team", "a")]));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("260 bytes").And.Not.Contain(Root));
        Assert.That(Snapshot(runFolder), Is.EqualTo(before), "nothing of the batch is written");

        // A retry without the bad key stores each point once.
        await store.LogBatchAsync(run.RunId, [new Metric("loss", 0.5, T0, 0)], [new Param("lr", "0.1")], []);
        Assert.That((await store.GetMetricHistoryAsync(run.RunId, "loss")).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_key_under_an_existing_metric_fails_the_whole_batch_before_anything_is_written()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await store.LogBatchAsync(run.RunId, [new Metric("a", 1, T0, 0)], [], []);
        var runFolder = Path.Combine(Root, "0", run.RunId);
        var before = Snapshot(runFolder);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(
            run.RunId,
            [new Metric("first", 1, T0, 0), new Metric("a/b", 2, T0, 0)],
            [new Param("p", "v")],
            []));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("'a'").And.Not.Contain(Root));
        Assert.That(Snapshot(runFolder), Is.EqualTo(before), "neither 'first' nor the param is written");
    }

    [Test]
    public async Task Two_keys_of_one_batch_where_one_is_the_folder_of_the_other_are_refused_whole()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var runFolder = Path.Combine(Root, "0", run.RunId);
        var before = Snapshot(runFolder);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(run.RunId, [new Metric("x", 1, T0, 0), new Metric("x/y", 2, T0, 0)], [], []));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(Snapshot(runFolder), Is.EqualTo(before));
    }

    [Test]
    public async Task A_write_failing_mid_batch_cuts_every_metric_file_back_and_removes_the_params_it_created()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await store.LogBatchAsync(run.RunId, [new Metric("a", 1, T0, 0)], [], []);
        var metrics = Path.Combine(Root, "0", run.RunId, "metrics");
        var aBefore = await System.IO.File.ReadAllBytesAsync(Path.Combine(metrics, "a"));

        // A FIFO where metric 'b' goes passes every check but fails at the write (it cannot be measured or cut): a real mid-batch I/O failure.
        MakeFifo(Path.Combine(metrics, "b"));
        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(
            run.RunId,
            [new Metric("a", 2, T0, 1), new Metric("b", 2, T0, 1)],
            [new Param("p", "v")],
            [new RunTag("t", "v")]));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Not.Contain(Root));
        Assert.That(await System.IO.File.ReadAllBytesAsync(Path.Combine(metrics, "a")), Is.EqualTo(aBefore), "the point appended to 'a' is cut back");
        Assert.That(System.IO.File.Exists(Path.Combine(Root, "0", run.RunId, "params", "p")), Is.False);
        Assert.That(System.IO.File.Exists(Path.Combine(Root, "0", run.RunId, "tags", "t")), Is.False);

        // The retry, once the obstacle is gone, stores every point exactly once.
        System.IO.File.Delete(Path.Combine(metrics, "b"));
        await store.LogBatchAsync(run.RunId, [new Metric("a", 2, T0, 1), new Metric("b", 2, T0, 1)], [new Param("p", "v")], [new RunTag("t", "v")]);
        Assert.That((await store.GetMetricHistoryAsync(run.RunId, "a")).Items.Select(m => m.Step), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That((await store.GetMetricHistoryAsync(run.RunId, "b")).Items.Select(m => m.Step), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task An_append_after_a_torn_last_line_starts_on_a_fresh_line_and_the_torn_part_goes()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var path = Path.Combine(Root, "0", run.RunId, "metrics", "m");
        await System.IO.File.WriteAllTextAsync(path, "1700000000000 0.25 7\n1700000000001 0.5 8");

        using var cut = new MeasuredCounter("mlworkflow.tracking.file.torn_lines_cut");
        await store.LogBatchAsync(run.RunId, [new Metric("m", 0.75, T0 + 2, 9)], [], []);
        Assert.That(cut.Total, Is.EqualTo(1), "the cut is reported on the meter");

        var history = (await store.GetMetricHistoryAsync(run.RunId, "m")).Items;
        Assert.That(history.Select(m => (m.Step, m.Value)), Is.EqualTo(new[] { (7L, 0.25), (9L, 0.75) }));
        Assert.That((await store.GetRunAsync(run.RunId)).Data.GetMetric("m")!.Step, Is.EqualTo(9));
        Assert.That(await System.IO.File.ReadAllTextAsync(path), Is.EqualTo("1700000000000 0.25 7\n1700000000002 0.75 9\n"), "the file stays MLflow's format, readable by MLflow");
    }

    [Test]
    public async Task Lines_that_are_not_exactly_mlflows_format_are_skipped_not_misread()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var path = Path.Combine(Root, "0", run.RunId, "metrics", "m");
        await System.IO.File.WriteAllTextAsync(path, string.Join('\n', [
            "1700000000000 0.25 7",
            "1700000000001  0.5 8",          // two spaces
            "1700000000001 0.5 8.5",         // fractional step
            "1700000000001 0.5 8 9",         // four fields
            "17000x0000001 0.5 8",           // not a number
            "1700000000001 zero 8",
            " 1700000000001 0.5 8",
            "1700000000003 0.125 3",
            "",
        ]));

        using var skipped = new MeasuredCounter("mlworkflow.tracking.file.skipped_lines");
        var history = (await store.GetMetricHistoryAsync(run.RunId, "m")).Items;

        Assert.That(history.Select(m => (m.Step, m.Value)), Is.EqualTo(new[] { (7L, 0.25), (3L, 0.125) }));
        Assert.That(skipped.Total, Is.EqualTo(6), "each skipped line is reported on the meter");
        Assert.That((await store.GetRunAsync(run.RunId)).Data.GetMetric("m")!.Value, Is.EqualTo(0.25));
    }

    [Test]
    public async Task A_run_tag_or_experiment_tag_key_too_long_for_a_file_name_is_an_invalid_parameter()
    {
        var store = OpenStore();
        var experimentId = await store.CreateExperimentAsync("e");
        var before = Snapshot(Root);

        var create = await Assert.ThrowsAsync<MlflowException>(() => store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, Tags = [new RunTag(LongNonAsciiKey, "v")] }));
        var experimentTag = await Assert.ThrowsAsync<MlflowException>(() => store.SetExperimentTagAsync(experimentId, new ExperimentTag(LongNonAsciiKey, "v")));

        foreach (var error in new[] { create!, experimentTag! })
        {
            Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
            Assert.That(error.Message, Does.Not.Contain(Root).And.Not.Contain("System.").And.Not.Contain("MlWorkflow."));
        }

        Assert.That(Snapshot(Root), Is.EqualTo(before), "no half-created run");
    }

    [Test]
    public async Task Deleting_the_default_experiment_is_an_invalid_parameter()
    {
        var store = OpenStore();

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.DeleteExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("Cannot delete the default experiment"));
    }

    /// <summary>Sums what one of MlWorkflow's counters records while it lives (a real <see cref="MeterListener"/>).</summary>
    private sealed class MeasuredCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public MeasuredCounter(string instrument)
        {
            _listener.InstrumentPublished = (published, listener) =>
            {
                if (published.Meter.Name == "MlWorkflow.Tracking" && published.Name == instrument)
                {
                    listener.EnableMeasurementEvents(published);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    internal static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, "mkfifo");
    }

    /// <summary>Every file under a folder with its content, and every folder: what a failed call must leave as it was.</summary>
    internal static List<string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) != ".mlworkflow-changes")
            .Select(p => System.IO.File.Exists(p) ? $"{Path.GetRelativePath(folder, p)}={System.IO.File.ReadAllText(p)}" : Path.GetRelativePath(folder, p) + "/")
            .Order(StringComparer.Ordinal)
            .ToList();
}
