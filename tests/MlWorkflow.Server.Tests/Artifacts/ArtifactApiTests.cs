using System.Net;
using System.Text;
using MlWorkflow.Server.Tests.Server;

namespace MlWorkflow.Server.Tests.Artifacts;

/// <summary>The server's <c>mlflow-artifacts</c> API (MLflow's tracking server documentation on artifact proxying, https://mlflow.org/docs/latest/tracking/artifacts-stores.html) and its path checks.</summary>
[TestFixture]
public sealed class ArtifactApiTests : ServerFixture
{
    [Test]
    public async Task Put_get_list_and_delete_round_trip_under_a_run()
    {
        var (experimentId, runId) = await CreateRunAsync();
        var root = $"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts";

        using var put = await Http.PutAsync(root + "/dir/hello.txt", new StringContent("hello world", Encoding.UTF8, "text/plain"));
        using var get = await Http.GetAsync(root + "/dir/hello.txt");
        var (_, rootListing) = await GetAsync($"/api/2.0/mlflow-artifacts/artifacts?path={experimentId}/{runId}/artifacts");
        var (_, dirListing) = await GetAsync($"/api/2.0/mlflow-artifacts/artifacts?path={experimentId}/{runId}/artifacts/dir");
        var (_, trackingListing) = await GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={runId}&path=dir");
        using var delete = await Http.DeleteAsync(root + "/dir");
        var (_, afterDelete) = await GetAsync($"/api/2.0/mlflow-artifacts/artifacts?path={experimentId}/{runId}/artifacts");

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await get.Content.ReadAsStringAsync(), Is.EqualTo("hello world"));
        Assert.That(get.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(get.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(get.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(rootListing.GetProperty("files")[0].GetProperty("path").GetString(), Is.EqualTo("dir"));
        Assert.That(rootListing.GetProperty("files")[0].GetProperty("is_dir").GetBoolean(), Is.True);
        Assert.That(rootListing.GetProperty("files")[0].TryGetProperty("file_size", out _), Is.False);
        Assert.That(dirListing.GetProperty("files")[0].GetProperty("path").GetString(), Is.EqualTo("hello.txt"));
        Assert.That(dirListing.GetProperty("files")[0].GetProperty("file_size").GetInt64(), Is.EqualTo(11));
        Assert.That(trackingListing.GetProperty("root_uri").GetString(), Is.EqualTo($"mlflow-artifacts:/{experimentId}/{runId}/artifacts"));
        Assert.That(trackingListing.GetProperty("files")[0].GetProperty("path").GetString(), Is.EqualTo("dir/hello.txt"));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterDelete.EnumerateObject(), Is.Empty);
        Assert.That(File.Exists(Path.Combine(FileStore.RootDirectory, experimentId, runId, "artifacts", "dir", "hello.txt")), Is.False);
    }

    [TestCase("%2E%2E/%2E%2E/meta.yaml")]
    [TestCase("a%5Cb")]
    [TestCase("a%23b")]
    public async Task Unsafe_paths_are_400_invalid_path(string unsafePath)
    {
        var (experimentId, runId) = await CreateRunAsync();

        using var response = await Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/{unsafePath}", new StringContent("x"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(body, Does.Contain("INVALID_PARAMETER_VALUE").And.Contain("Invalid path"));
    }

    [Test]
    public async Task Paths_outside_run_artifact_folders_cannot_reach_the_store_s_own_files()
    {
        var (experimentId, runId) = await CreateRunAsync();
        var meta = Path.Combine(FileStore.RootDirectory, experimentId, runId, "meta.yaml");
        var before = await File.ReadAllTextAsync(meta);

        using var overwrite = await Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/meta.yaml", new StringContent("x"));
        using var read = await Http.GetAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/meta.yaml");
        using var otherExperiment = await Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/0/{runId}/artifacts/x.txt", new StringContent("x"));

        Assert.That((int)overwrite.StatusCode, Is.EqualTo(400));
        Assert.That((int)read.StatusCode, Is.EqualTo(400));
        Assert.That((int)otherExperiment.StatusCode, Is.EqualTo(400));
        Assert.That(await File.ReadAllTextAsync(meta), Is.EqualTo(before));
    }

    [Test]
    public async Task Missing_artifact_is_404()
    {
        var (experimentId, runId) = await CreateRunAsync();

        using var response = await Http.GetAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/none.txt");

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }
}
