using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>The <c>mlw</c> tool as users run it: <c>mlw server --artifacts-destination s3://…</c> proxies to S3 with no extra setup (issue 18 point 1).</summary>
public sealed class MlwServerTests
{
    private static readonly string MlwDll = typeof(MlwServerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MlwPath").Value!;

    [Test]
    public async Task Mlw_server_with_an_s3_artifacts_destination_stores_what_clients_log_in_the_bucket()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { MlwDll, "server", "--backend-store-uri", temp.Combine("mlruns"), "--artifacts-destination", $"s3://{bucket}/cli", "--port", port.ToString(CultureInfo.InvariantCulture), "--no-ui" })
        {
            start.ArgumentList.Add(argument);
        }

        // Start-up profiles in the test's folder, not the user's cache folder.
        start.Environment["MLW_JIT_PROFILE"] = temp.Combine("jit-profiles");

        // The child inherits the S3 environment MotoServerSetup set (endpoint and keys), as a server's shell would give it.
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            WaitUntilListening(process, port, output);
            var client = MlflowClient.Create($"http://127.0.0.1:{port}");
            await using var run = await client.StartRunAsync("through-mlw");
            await run.LogTextAsync("docs/readme.txt", "kept in S3 by mlw");
            var listed = await run.ListArtifactsAsync("docs");
            var downloaded = await run.DownloadArtifactsAsync("docs/readme.txt", temp.Combine("out"));

            Assert.Multiple(async () =>
            {
                Assert.That(run.Info.ArtifactUri, Does.StartWith("mlflow-artifacts:/"));
                Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.EqualTo(new[] { $"cli/{run.ExperimentId}/{run.RunId}/artifacts/docs/readme.txt" }));
                Assert.That(listed.Select(f => f.Path), Is.EqualTo(new[] { "docs/readme.txt" }));
                Assert.That(File.ReadAllText(downloaded), Is.EqualTo("kept in S3 by mlw"));
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static void WaitUntilListening(Process process, int port, System.Text.StringBuilder output)
    {
        // A safety net for a server that never comes up, not a timing assertion.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail($"mlw server exited ({process.ExitCode}): {output}");
            }

            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        Assert.Fail($"mlw server did not listen on 127.0.0.1:{port}: {output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
