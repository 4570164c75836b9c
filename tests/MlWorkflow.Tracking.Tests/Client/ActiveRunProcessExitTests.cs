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

    [Test]
    public async Task A_process_killed_by_an_unhandled_exception_ends_its_run_failed()
    {
        using var temp = new TemporaryDirectory();
        var (exitCode, output, errors) = await RunWriterAsync("active-run-crash", temp.Path);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(errors, Does.Contain("the program failed"));
        using var client = new MlflowClient(new FileTrackingStore(temp.Path));
        var run = await client.GetRunAsync(output.Trim());
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(run.Data.GetMetric("before-crash")!.Value, Is.EqualTo(1));
    }

    [Test]
    public async Task An_exit_flush_that_times_out_says_so_on_stderr()
    {
        using var temp = new TemporaryDirectory();
        var (exitCode, output, errors) = await RunWriterAsync("active-run-exit-stuck", temp.Path);

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(errors, Does.Contain($"run {output.Trim()} was not ended at exit").And.Contain("within 0.2 s").And.Contain("ExitFlushTimeout"));
    }

    [Test]
    public async Task The_exit_hook_line_carries_no_credentials()
    {
        using var temp = new TemporaryDirectory();
        var (exitCode, _, errors) = await RunWriterAsync("active-run-exit-failing", temp.Path);

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(errors, Does.Contain("could not be flushed at exit").And.Contain("Authorization: ***"));
        Assert.That(errors, Does.Not.Contain("tok-exit-hook-secret"));
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunWriterAsync(params string[] arguments)
    {
        var writer = Path.Combine(TestContext.CurrentContext.TestDirectory, "MlWorkflow.Tracking.Tests.StoreWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[writer, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
