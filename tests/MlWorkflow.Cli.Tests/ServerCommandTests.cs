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

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_server_serves_its_web_ui_at_the_root_unless_told_not_to(bool noUi)
    {
        var root = _directory.Combine("mlruns-ui-" + noUi);
        string[] args = ["server", "--backend-store-uri", root, "--port", "0", "--log-level", "warning", .. noUi ? new[] { "--no-ui" } : []];
        using var process = Process.Start(Mlw.StartInfo(_directory.Path, null, args))!;
        try
        {
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

            using var http = new HttpClient { BaseAddress = new Uri(uri!) };
            using var home = await http.GetAsync("/");
            var body = await home.Content.ReadAsStringAsync();

            Assert.That((int)home.StatusCode, Is.EqualTo(noUi ? 404 : 200));
            Assert.That(body, noUi ? Does.Not.Contain("<html") : Does.Contain("<h1>Experiments</h1>"));
            await Mlw.InterruptAsync(process);
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
