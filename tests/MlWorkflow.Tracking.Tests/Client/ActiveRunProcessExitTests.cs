using System.Diagnostics;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

public class ActiveRunProcessExitTests
{
    [Test]
    public async Task A_process_that_exits_normally_writes_its_queue_and_ends_its_run()
    {
        using var temp = new TemporaryDirectory();
        var writer = Path.Combine(TestContext.CurrentContext.TestDirectory, "MlWorkflow.Tracking.Tests.StoreWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { writer, "active-run-exit", temp.Path, "20000" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, errors);

        var runId = output.Trim();
        var client = new MlflowClient(new FileTrackingStore(temp.Path));
        var run = await client.GetRunAsync(runId);
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That(run.Info.EndTime, Is.Not.Null);
        var history = await client.GetMetricHistoryAsync(runId, "queued");
        Assert.That(history, Has.Count.EqualTo(20000));
    }
}
