using System.Diagnostics;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw server</c> as a process: it starts, says where it listens, serves clients, and answers <c>--workers</c>.</summary>
[TestFixture]
public sealed class ServerCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task The_server_announces_its_address_serves_a_client_and_explains_workers()
    {
        var root = _directory.Combine("mlruns");
        using var process = Process.Start(Mlw.StartInfo(_directory.Path, null, "server", "--backend-store-uri", root, "--port", "0", "--workers", "4", "--default-artifact-root", root, "--log-level", "warning"))!;
        try
        {
            var stderr = process.StandardError.ReadLineAsync();
            string? line;
            string? uri = null;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                const string Prefix = "MLFLOW_TRACKING_URI=";
                if (line.Contains(Prefix, StringComparison.Ordinal))
                {
                    uri = line[(line.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length)..].Trim();
                    break;
                }
            }

            Assert.That(uri, Does.StartWith("http://127.0.0.1:"));
            await using var client = MlflowClient.Create(uri);
            var id = await client.CreateExperimentAsync("served");
            Assert.That(Directory.Exists(Path.Combine(root, id)), Is.True);
            Assert.That(await stderr, Does.Contain("--workers 4").And.Contain("one process serves all requests"));

            // Ctrl+C stops the server cleanly.
            await Mlw.InterruptAsync(process);
            Assert.That(process.ExitCode, Is.Zero);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
