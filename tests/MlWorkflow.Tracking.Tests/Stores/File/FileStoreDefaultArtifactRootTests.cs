using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>A default artifact root outside the store's folder (as <c>mlflow server --default-artifact-root</c> sets it) for new experiments.</summary>
public class FileStoreDefaultArtifactRootTests : TempStoreFixture
{
    private string Artifacts => Path.Combine(TempDirectory, "artifacts");

    [Test]
    public async Task New_experiments_and_their_runs_keep_artifacts_under_the_default_root()
    {
        using var store = new FileTrackingStore(Root, defaultArtifactRoot: Artifacts);
        var id = await store.CreateExperimentAsync("elsewhere");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = id });

        Assert.That(store.ArtifactRootUri, Is.EqualTo(FileUris.FromPath(Artifacts)));
        Assert.That(ReadFile($"{id}/meta.yaml"), Does.StartWith($"artifact_location: {FileUris.FromPath(Artifacts)}/{id}\n"));
        Assert.That(run.Info.ArtifactUri, Is.EqualTo($"{FileUris.FromPath(Artifacts)}/{id}/{run.Info.RunId}/artifacts"));
        Assert.That((await store.GetExperimentAsync("0")).ArtifactLocation, Is.EqualTo($"{FileUris.FromPath(Artifacts)}/0"), "a fresh store's default experiment too");
    }

    [Test]
    public async Task A_store_opened_without_the_root_still_reads_the_outside_locations()
    {
        // Regression: such a location looked like a moved store's ('<old root>/<id>' with no store there) and was read as '<root>/<id>'.
        var id = await new FileTrackingStore(Root, defaultArtifactRoot: "file://" + Artifacts).CreateExperimentAsync("elsewhere");
        var run = await new FileTrackingStore(Root, defaultArtifactRoot: Artifacts).CreateRunAsync(new CreateRunRequest { ExperimentId = id });

        var plain = OpenStore();
        Assert.That((await plain.GetExperimentAsync(id)).ArtifactLocation, Is.EqualTo($"{FileUris.FromPath(Artifacts)}/{id}"), "before any artifact exists");
        Directory.CreateDirectory(Path.Combine(Artifacts, id, run.Info.RunId, "artifacts"));
        Assert.That((await plain.GetRunAsync(run.Info.RunId)).Info.ArtifactUri, Is.EqualTo($"{FileUris.FromPath(Artifacts)}/{id}/{run.Info.RunId}/artifacts"), "and after");
    }

    [Test]
    public async Task Experiments_that_exist_keep_their_locations()
    {
        var before = await OpenStore().CreateExperimentAsync("before");
        using var store = new FileTrackingStore(Root, defaultArtifactRoot: Artifacts);

        Assert.That((await store.GetExperimentAsync(before)).ArtifactLocation, Is.EqualTo($"{FileUris.FromPath(Root)}/{before}"));
        Assert.That((await store.GetExperimentAsync("0")).ArtifactLocation, Is.EqualTo($"{FileUris.FromPath(Root)}/0"));
    }

    [Test]
    public async Task A_remote_default_root_is_kept_as_given_and_nothing_is_created_for_it_on_disk()
    {
        using var store = new FileTrackingStore(Root, defaultArtifactRoot: "s3://bucket/prefix/");

        var id = await store.CreateExperimentAsync("remote");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = id });

        Assert.Multiple(() =>
        {
            Assert.That(store.ArtifactRootUri, Is.EqualTo("s3://bucket/prefix"));
            Assert.That(run.Info.ArtifactUri, Is.EqualTo($"s3://bucket/prefix/{id}/{run.Info.RunId}/artifacts"));
            Assert.That(Directory.GetDirectories(Root, "s3*", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [TestCase("file://other-host/artifacts")]
    [TestCase(" ")]
    public void A_file_root_on_another_host_or_an_empty_root_is_refused(string root)
    {
        var error = Assert.Throws<MlflowException>(() => _ = new FileTrackingStore(Root, defaultArtifactRoot: root));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
