using System.Net;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Server;

/// <summary><c>GET /get-artifact</c> and <c>GET /model-versions/get-artifact</c> over HTTP: bytes, MLflow's headers, ranges, and no way out of the run's folder.</summary>
[TestFixture]
public sealed class ArtifactDownloadTests : ServerFixture
{
    [Test]
    public async Task A_run_artifact_comes_back_as_an_attachment_with_mlflow_s_content_type()
    {
        var (runId, _) = await RunWithArtifactsAsync();

        using var response = await Http.GetAsync($"/get-artifact?path=notes/a.txt&run_uuid={runId}");
        using var yaml = await Http.GetAsync($"/get-artifact?path=model/MLmodel&run_id={runId}");
        using var image = await Http.GetAsync($"/get-artifact?path=plots/p.svg&run_id={runId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("hello!"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition.FileName, Is.EqualTo("a.txt"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(yaml.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"), "MLmodel is text, as MLflow sends it");
        Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        Assert.That(string.Join(";", image.Headers.GetValues("Content-Security-Policy")), Does.Contain("sandbox"), "an SVG opened directly runs no script");
    }

    [Test]
    public async Task A_range_request_gets_206_with_the_requested_bytes()
    {
        var (runId, _) = await RunWithArtifactsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/get-artifact?path=notes/a.txt&run_id={runId}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1, 3);

        using var response = await Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ell"));
        Assert.That(response.Content.Headers.ContentRange!.ToString(), Is.EqualTo("bytes 1-3/6"));
    }

    [TestCase("../meta.yaml")]
    [TestCase("notes/../../meta.yaml")]
    [TestCase("%2e%2e/meta.yaml")]
    [TestCase("%252e%252e/meta.yaml")]
    [TestCase("/etc/passwd")]
    [TestCase("C:/Windows/win.ini")]
    [TestCase("notes/a.txt%23x")]
    [TestCase("..%5cmeta.yaml")]
    public async Task Paths_that_leave_the_run_s_artifact_folder_are_400_invalid_path(string path)
    {
        var (runId, _) = await RunWithArtifactsAsync();

        var (status, body) = await GetAsync($"/get-artifact?path={path}&run_id={runId}");
        var (modelStatus, modelBody) = await GetAsync($"/model-versions/get-artifact?name=m&version=1&path={path}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(body.GetProperty("message").GetString(), Does.StartWith("Invalid path"));
        Assert.That(modelStatus, Is.EqualTo(400));
        Assert.That(modelBody.GetProperty("message").GetString(), Does.StartWith("Invalid path"));
    }

    [Test]
    public async Task Missing_files_runs_and_parameters_are_clear_errors()
    {
        var (runId, _) = await RunWithArtifactsAsync();

        var (missingFile, _) = await GetAsync($"/get-artifact?path=nothing.txt&run_id={runId}");
        var (folder, _) = await GetAsync($"/get-artifact?path=notes&run_id={runId}");
        var (unknownRun, unknownBody) = await GetAsync("/get-artifact?path=a.txt&run_id=0123456789abcdef0123456789abcdef");
        var (noPath, noPathBody) = await GetAsync($"/get-artifact?run_id={runId}");
        var (badVersion, badVersionBody) = await GetAsync("/model-versions/get-artifact?name=m&version=abc&path=MLmodel");
        var (unknownVersion, _) = await GetAsync("/model-versions/get-artifact?name=m&version=9&path=MLmodel");

        Assert.That(missingFile, Is.EqualTo(404));
        Assert.That(folder, Is.EqualTo(404));
        Assert.That(unknownRun, Is.EqualTo(404));
        Assert.That(unknownBody.GetProperty("error_code").GetString(), Is.EqualTo("RESOURCE_DOES_NOT_EXIST"));
        Assert.That(noPath, Is.EqualTo(400));
        Assert.That(noPathBody.GetProperty("message").GetString(), Does.Contain("'path'"));
        Assert.That(badVersion, Is.EqualTo(400));
        Assert.That(badVersionBody.GetProperty("message").GetString(), Is.EqualTo("Model version must be an integer, got 'abc'"));
        Assert.That(unknownVersion, Is.EqualTo(404));
    }

    [Test]
    public async Task A_model_version_s_files_are_read_from_its_source_whether_a_store_location_a_client_uri_or_a_runs_uri()
    {
        var (runId, artifactUri) = await RunWithArtifactsAsync();
        var registry = new FileModelRegistryStore(FileStore.RootDirectory);
        await registry.CreateRegisteredModelAsync("m");
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", artifactUri + "/model") { RunId = runId });
        var (_, clientView) = await GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}");
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", clientView.GetProperty("run").GetProperty("info").GetProperty("artifact_uri").GetString() + "/model"));
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", $"runs:/{runId}/model"));

        foreach (var version in new[] { 1, 2, 3 })
        {
            using var response = await Http.GetAsync($"/model-versions/get-artifact?name=m&version={version}&path=MLmodel");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"version {version}");
            Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("flavors:"), $"version {version}");
        }
    }

    private async Task<(string RunId, string ArtifactUri)> RunWithArtifactsAsync()
    {
        var experimentId = (await FileStore.GetExperimentByNameAsync("files"))?.ExperimentId ?? await FileStore.CreateExperimentAsync("files");
        var run = await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 });
        var folder = new Uri(run.Info.ArtifactUri).LocalPath;
        Directory.CreateDirectory(Path.Combine(folder, "notes"));
        Directory.CreateDirectory(Path.Combine(folder, "model"));
        Directory.CreateDirectory(Path.Combine(folder, "plots"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes", "a.txt"), "hello!");
        await File.WriteAllTextAsync(Path.Combine(folder, "model", "MLmodel"), "flavors:\n  mlnet: {}\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "plots", "p.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
        return (run.Info.RunId, run.Info.ArtifactUri);
    }
}
