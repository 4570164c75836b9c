using System.Diagnostics;
using System.Net;
using System.Net.Http;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw server</c> as a process: it starts, says where it listens, serves clients, answers <c>--workers</c>, and keeps artifacts where its options say.</summary>
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
            await Mlw.StopAsync(process);
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
            await Mlw.StopAsync(process);
        }
    }

    [Test]
    public async Task Artifacts_logged_through_a_server_with_an_artifacts_destination_land_there_and_come_back()
    {
        var root = _directory.Combine("mlruns");
        var destination = _directory.Combine("mlartifacts");
        var (process, uri) = await StartServerAsync("--backend-store-uri", root, "--artifacts-destination", destination);
        try
        {
            await using var client = MlflowClient.Create(uri);
            var experimentId = await client.CreateExperimentAsync("proxied");
            Assert.That((await client.GetExperimentAsync(experimentId)).ArtifactLocation, Is.EqualTo($"mlflow-artifacts:/{experimentId}"));
            var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
            Assert.That(run.Info.ArtifactUri, Is.EqualTo($"mlflow-artifacts:/{experimentId}/{run.Info.RunId}/artifacts"));

            var local = _directory.Combine("notes.txt");
            await File.WriteAllTextAsync(local, "logged through the proxy");
            await client.LogArtifactAsync(run.Info.RunId, local, "docs");

            var landed = Path.Combine(destination, experimentId, run.Info.RunId, "artifacts", "docs", "notes.txt");
            Assert.That(File.ReadAllText(landed), Is.EqualTo("logged through the proxy"), "the file lands in the destination folder");
            Assert.That(Directory.GetFiles(root, "notes.txt", SearchOption.AllDirectories), Is.Empty, "nothing goes to the store's folder");
            Assert.That((await client.ListArtifactsAsync(run.Info.RunId, "docs")).Select(f => f.Path), Is.EqualTo(new[] { "docs/notes.txt" }));
            var downloaded = await client.DownloadArtifactsAsync(run.Info.RunId, "docs/notes.txt", _directory.Combine("download"));
            Assert.That(File.ReadAllText(downloaded), Is.EqualTo("logged through the proxy"), "and comes back on download");

            // The store keeps a file: location a local client on the same machine reads directly.
            await using var local2 = MlflowClient.Create(root);
            Assert.That((await local2.GetExperimentAsync(experimentId)).ArtifactLocation, Is.EqualTo(new Uri(Path.Combine(destination, experimentId)).AbsoluteUri));
            Assert.That(await File.ReadAllTextAsync(await local2.DownloadArtifactsAsync(run.Info.RunId, "docs/notes.txt", _directory.Combine("local"))), Is.EqualTo("logged through the proxy"));

            await Mlw.InterruptAsync(process);
            Assert.That(process.ExitCode, Is.Zero);
        }
        finally
        {
            await StopAsync(process);
        }
    }

    [TestCase("..%2F..%2Fescaped.txt")]
    [TestCase("1/..%2F..%2F..%2Fescaped.txt")]
    [TestCase("1/%252E%252E/%252E%252E/escaped.txt")]
    [TestCase("%2Ftmp%2Fescaped.txt")]
    [TestCase("..%5C..%5Cescaped.txt")]
    public async Task No_path_a_client_sends_escapes_the_artifacts_destination(string path)
    {
        var destination = _directory.Combine("nested", "mlartifacts");
        var (process, uri) = await StartServerAsync("--backend-store-uri", _directory.Combine("mlruns"), "--artifacts-destination", destination);
        try
        {
            using var http = new HttpClient();
            using var put = await http.PutAsync(new Uri($"{uri}/api/2.0/mlflow-artifacts/artifacts/{path}"), new StringContent("escaped"));
            using var get = await http.GetAsync(new Uri($"{uri}/api/2.0/mlflow-artifacts/artifacts/{path}"));
            using var list = await http.GetAsync(new Uri($"{uri}/api/2.0/mlflow-artifacts/artifacts?path={path}"));

            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await put.Content.ReadAsStringAsync());
            Assert.That(await put.Content.ReadAsStringAsync(), Does.Contain("INVALID_PARAMETER_VALUE").And.Contain("Invalid path"));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(Directory.GetFiles(_directory.Path, "*escaped.txt", SearchOption.AllDirectories), Is.Empty, "nothing is written, inside the destination or out");
            Assert.That(File.Exists("/tmp/escaped.txt"), Is.False);
        }
        finally
        {
            await StopAsync(process);
        }
    }

    [Test]
    public async Task A_link_inside_the_destination_does_not_lead_out_of_it()
    {
        var destination = _directory.Combine("mlartifacts");
        var outside = _directory.Combine("outside");
        Directory.CreateDirectory(Path.Combine(destination, "1"));
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(destination, "1", "link"), outside);
        var (process, uri) = await StartServerAsync("--backend-store-uri", _directory.Combine("mlruns"), "--artifacts-destination", destination);
        try
        {
            using var http = new HttpClient();
            using var put = await http.PutAsync(new Uri($"{uri}/api/2.0/mlflow-artifacts/artifacts/1/link/escaped.txt"), new StringContent("escaped"));

            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await put.Content.ReadAsStringAsync());
            Assert.That(Directory.GetFiles(outside), Is.Empty, "nothing is written through the link");
        }
        finally
        {
            await StopAsync(process);
        }
    }

    [Test]
    public async Task A_default_artifact_root_outside_the_store_holds_new_experiments_artifacts_without_a_proxy()
    {
        var root = _directory.Combine("mlruns");
        var artifacts = _directory.Combine("shared-artifacts");
        var (process, uri) = await StartServerAsync("--backend-store-uri", root, "--default-artifact-root", new Uri(artifacts).AbsoluteUri, "--no-serve-artifacts");
        try
        {
            await using var client = MlflowClient.Create(uri);
            var experimentId = await client.CreateExperimentAsync("direct");
            var location = (await client.GetExperimentAsync(experimentId)).ArtifactLocation;
            Assert.That(location, Is.EqualTo(new Uri(Path.Combine(artifacts, experimentId)).AbsoluteUri), "clients see the file: location itself");

            // A client on the same machine writes there directly; the server lists what it finds.
            var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
            var local = _directory.Combine("weights.bin");
            await File.WriteAllBytesAsync(local, [1, 2, 3]);
            await client.LogArtifactAsync(run.Info.RunId, local);
            Assert.That(File.ReadAllBytes(Path.Combine(artifacts, experimentId, run.Info.RunId, "artifacts", "weights.bin")), Is.EqualTo(new byte[] { 1, 2, 3 }));

            using var http = new HttpClient();
            using var proxied = await http.GetAsync(new Uri($"{uri}/api/2.0/mlflow-artifacts/artifacts?path={experimentId}"));
            Assert.That(proxied.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "--no-serve-artifacts turns the proxy off");
        }
        finally
        {
            await StopAsync(process);
        }
    }

    private async Task<(Process Process, string Uri)> StartServerAsync(params string[] args)
    {
        var process = Process.Start(Mlw.StartInfo(_directory.Path, null, ["server", "--port", "0", "--log-level", "warning", .. args]))!;
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
        {
            const string Prefix = "MLFLOW_TRACKING_URI=";
            if (line.Contains(Prefix, StringComparison.Ordinal))
            {
                return (process, line[(line.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length)..].Trim());
            }
        }

        var error = await process.StandardError.ReadToEndAsync();
        await StopAsync(process);
        Assert.Fail($"mlw server did not start: {error}");
        throw new InvalidOperationException("unreachable");
    }

    private static async Task StopAsync(Process process)
    {
        await Mlw.StopAsync(process);
        process.Dispose();
    }
}
