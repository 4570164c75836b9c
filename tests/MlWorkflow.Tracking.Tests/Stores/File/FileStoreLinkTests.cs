using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Issue 10.9: links planted in a store (real symbolic links) never lead a read or a write out of its root.</summary>
public class FileStoreLinkTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;

    private string Outside => Path.Combine(TempDirectory, "outside");

    [SetUp]
    public void CreateOutside() => Directory.CreateDirectory(Outside);

    [Test]
    public async Task A_link_in_metrics_does_not_make_log_batch_append_to_its_target()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var target = Path.Combine(Outside, "victim.txt");
        await System.IO.File.WriteAllTextAsync(target, "precious\n");
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, "0", run.RunId, "metrics", "loss"), target);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync(run.RunId, [new Metric("loss", 1, T0, 0)], [], []));
        var read = await Assert.ThrowsAsync<MlflowException>(() => store.GetMetricHistoryAsync(run.RunId, "loss"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("link").And.Not.Contain(Outside));
        Assert.That(read!.Message, Does.Contain("link"));
        Assert.That(await System.IO.File.ReadAllTextAsync(target), Is.EqualTo("precious\n"));
        Assert.That((await store.GetRunAsync(run.RunId)).Data.Metrics, Is.Empty, "the link is not read as a metric");
    }

    [Test]
    public async Task A_link_in_params_or_a_linked_params_folder_is_not_read_by_get_run()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var secret = Path.Combine(Outside, "secret");
        await System.IO.File.WriteAllTextAsync(secret, "s3cr3t");
        var runFolder = Path.Combine(Root, "0", run.RunId);
        System.IO.File.CreateSymbolicLink(Path.Combine(runFolder, "params", "leak"), secret);
        Directory.CreateDirectory(Path.Combine(Outside, "tags"));
        await System.IO.File.WriteAllTextAsync(Path.Combine(Outside, "tags", "planted"), "s3cr3t");
        Directory.Delete(Path.Combine(runFolder, "tags"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(runFolder, "tags"), Path.Combine(Outside, "tags"));

        var loaded = await store.GetRunAsync(run.RunId);
        var searched = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"], Filter = "params.leak = 's3cr3t'" });

        Assert.That(loaded.Data.Params, Is.Empty);
        Assert.That(loaded.Data.Tags.Select(t => t.Key), Does.Not.Contain("planted"));
        Assert.That(searched.Items, Is.Empty);
    }

    [Test]
    public async Task A_run_folder_that_is_a_link_is_not_a_run()
    {
        var store = OpenStore();
        var real = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var moved = Path.Combine(Outside, real.RunId);
        Directory.Move(Path.Combine(Root, "0", real.RunId), moved);
        Directory.CreateSymbolicLink(Path.Combine(Root, "0", real.RunId), moved);

        var error = await Assert.ThrowsAsync<MlflowException>(() => OpenStore().GetRunAsync(real.RunId));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await OpenStore().SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["0"] })).Items, Is.Empty);
    }

    [Test]
    public async Task An_artifacts_folder_that_is_a_link_takes_no_writes()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var artifacts = Path.Combine(Root, "0", run.RunId, "artifacts");
        Directory.Delete(artifacts);
        Directory.CreateSymbolicLink(artifacts, Outside);
        var repository = new LocalArtifactRepository(run.ArtifactUri);

        var error = await Assert.ThrowsAsync<MlflowException>(() => repository.WriteAsync("model.bin", new MemoryStream([1, 2, 3])));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Not.Contain(Outside).And.Not.Contain(Root));
        Assert.That(Directory.GetFileSystemEntries(Outside), Is.Empty);
    }

    [Test]
    public async Task A_download_does_not_copy_a_file_reached_through_a_link_out_of_the_root()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var repository = new LocalArtifactRepository(run.ArtifactUri);
        await repository.WriteAsync("model/MLmodel", new MemoryStream([1]));
        var secret = Path.Combine(Outside, "secret");
        await System.IO.File.WriteAllTextAsync(secret, "s3cr3t");
        System.IO.File.CreateSymbolicLink(Path.Combine(repository.RootDirectory, "model", "leak"), secret);
        var destination = Path.Combine(TempDirectory, "download");

        var error = await Assert.ThrowsAsync<MlflowException>(() => repository.DownloadAsync("model", destination));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(Directory.Exists(destination) ? Directory.GetFiles(destination, "*", SearchOption.AllDirectories) : [], Is.Empty, "nothing is copied");
        await Assert.ThrowsAsync<MlflowException>(() => repository.OpenReadAsync("model/leak"));
    }

    [Test]
    public async Task A_dangling_link_gives_a_clear_mlflow_error()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var repository = new LocalArtifactRepository(run.ArtifactUri);
        await repository.WriteAsync("model/MLmodel", new MemoryStream([1]));
        System.IO.File.CreateSymbolicLink(Path.Combine(repository.RootDirectory, "model", "gone"), Path.Combine(repository.RootDirectory, "model", "nowhere"));

        var error = await Assert.ThrowsAsync<MlflowException>(() => repository.DownloadAsync("model", Path.Combine(TempDirectory, "download")));

        Assert.That(error!.Message, Does.Contain("model/gone").And.Not.Contain(Root));
    }
}
