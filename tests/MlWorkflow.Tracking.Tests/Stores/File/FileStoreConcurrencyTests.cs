using System.Diagnostics;
using MlWorkflow.Tracking;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Several processes and threads against one store: nothing lost, nothing torn, one winner per experiment name.</summary>
public class FileStoreConcurrencyTests : TempStoreFixture
{
    private static string WriterPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "MlWorkflow.Tracking.Tests.StoreWriter.dll");

    private static Process StartWriter(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WriterPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the store writer.");
    }

    private static async Task<(int ExitCode, string Output)> WaitAsync(Process process)
    {
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output + error);
    }

    [Test]
    public async Task Several_processes_logging_to_one_run_lose_no_point()
    {
        const int writers = 4;
        const int batches = 20;
        const int points = 50;
        var store = OpenStore();
        var run = await store.CreateRunAsync(new CreateRunRequest { RunName = "shared" });

        var processes = Enumerable.Range(0, writers).Select(w => StartWriter("log", Root, run.Info.RunId, w.ToString(), batches.ToString(), points.ToString())).ToList();
        foreach (var process in processes)
        {
            using (process)
            {
                var (exitCode, output) = await WaitAsync(process);
                Assert.That(exitCode, Is.Zero, output);
            }
        }

        var shared = (await store.GetMetricHistoryAsync(run.Info.RunId, "shared")).Items;
        Assert.That(shared, Has.Count.EqualTo(writers * batches * points));
        for (var w = 0; w < writers; w++)
        {
            var writer = w;
            var mine = shared.Where(m => (long)m.Value / 1_000_000 == writer).Select(m => m.Step).ToList();
            Assert.That(mine, Is.EqualTo(Enumerable.Range(0, batches * points).Select(i => (long)i)), $"writer {writer}: every point, in its order");
            Assert.That((await store.GetMetricHistoryAsync(run.Info.RunId, $"w{writer}")).Items, Has.Count.EqualTo(batches * points));
        }

        var lines = System.IO.File.ReadAllText(Path.Combine(Root, "0", run.Info.RunId, "metrics", "shared")).Split('\n');
        Assert.That(lines[^1], Is.Empty, "the file ends with a line break");
        Assert.That(lines[..^1], Has.All.Match(@"^\d+ \d+\.0 \d+$"), "no torn or interleaved line");

        var full = await store.GetRunAsync(run.Info.RunId);
        Assert.That(full.Data.GetParam("common"), Is.EqualTo("same"));
        Assert.That(Enumerable.Range(0, writers).Select(w => full.Data.GetTag($"writer/{w}")), Has.All.EqualTo((batches - 1).ToString()));
    }

    [Test]
    public async Task Processes_creating_the_same_experiment_name_get_one_winner()
    {
        OpenStore();
        await OpenStore().GetExperimentAsync("0");
        var processes = Enumerable.Range(0, 4).Select(_ => StartWriter("create-experiment", Root, "contested")).ToList();
        var results = new List<(int ExitCode, string Output)>();
        foreach (var process in processes)
        {
            using (process)
            {
                results.Add(await WaitAsync(process));
            }
        }

        Assert.That(results.Count(r => r.ExitCode == 0), Is.EqualTo(1), string.Join("\n", results.Select(r => r.Output)));
        Assert.That(results.Count(r => r.ExitCode == 3 && r.Output.StartsWith("exists", StringComparison.Ordinal)), Is.EqualTo(3));
        var experiments = await OpenStore().SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name = 'contested'" });
        Assert.That(experiments.Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Threads_creating_the_same_experiment_name_get_one_winner()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => OpenStore()).ToList();
        var attempts = stores.Select(s => Task.Run(async () =>
        {
            try
            {
                return await s.CreateExperimentAsync("race");
            }
            catch (MlflowException error) when (error.ErrorCode == ErrorCode.ResourceAlreadyExists)
            {
                return null;
            }
        })).ToList();
        var ids = await Task.WhenAll(attempts);

        Assert.That(ids.Count(id => id is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task A_writer_killed_mid_run_leaves_a_readable_store()
    {
        var store = OpenStore();
        var run = await store.CreateRunAsync(new CreateRunRequest { RunName = "killed" });
        using var process = StartWriter("log-forever", Root, run.Info.RunId);
        var ready = await process.StandardOutput.ReadLineAsync();
        Assert.That(ready, Is.EqualTo("ready"));
        await Task.Delay(300);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        var reread = await OpenStore().GetRunAsync(run.Info.RunId);
        var history = (await OpenStore().GetMetricHistoryAsync(run.Info.RunId, "loss")).Items;
        Assert.That(reread.Info.RunName, Does.StartWith("name-").Or.EqualTo("killed"));
        Assert.That(reread.Data.GetTag("batch"), Does.Match(@"^\d+$"));
        Assert.That(history, Has.Count.GreaterThanOrEqualTo(500));
        Assert.That(history.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, history.Count).Select(i => (long)i)), "whole lines only, in order");
        var search = await OpenStore().SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"], Filter = "metrics.loss > 0" });
        Assert.That(search.Items.Single().Info.RunId, Is.EqualTo(run.Info.RunId));
    }

    [Test]
    public async Task Threads_logging_batches_to_one_run_lose_nothing()
    {
        var store = OpenStore();
        var run = await store.CreateRunAsync(new CreateRunRequest());
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var b = 0; b < 10; b++)
            {
                var metrics = Enumerable.Range(0, 100).Select(i => new Metric("m", t, 1, (b * 100) + i)).ToList();
                await store.LogBatchAsync(run.Info.RunId, metrics, [new Param("p", "same")], [new RunTag($"t{t}", b.ToString())]);
            }
        }));
        await Task.WhenAll(tasks);

        var history = (await store.GetMetricHistoryAsync(run.Info.RunId, "m")).Items;
        Assert.That(history, Has.Count.EqualTo(8 * 10 * 100));
        Assert.That(history.GroupBy(m => m.Value).Select(g => g.Count()), Has.All.EqualTo(1000));
    }
}
