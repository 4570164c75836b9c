using System.Text;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Artifacts;

/// <summary>The <c>mlflow-artifacts</c> repository against the server: uploads, listings, reads and downloads.</summary>
[TestFixture]
public sealed class HttpArtifactRepositoryTests
{
    private TemporaryDirectory _directory = null!;
    private TrackingServer _server = null!;
    private RestTrackingStore _store = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = new TemporaryDirectory();
        _server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0 });
        _store = new RestTrackingStore(_server.Uri, FastRetries.Options());
    }

    [TearDown]
    public async Task StopServer()
    {
        _store.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [TestCase("mlflow-artifacts:/0/abc/artifacts", "http://localhost:5000", "http://localhost:5000/api/2.0/mlflow-artifacts/artifacts", "0/abc/artifacts")]
    [TestCase("mlflow-artifacts://other:8080/0/abc/artifacts", "http://localhost:5000", "http://other:8080/api/2.0/mlflow-artifacts/artifacts", "0/abc/artifacts")]
    [TestCase("mlflow-artifacts:/1/r/artifacts/", "https://host/prefix/", "https://host/prefix/api/2.0/mlflow-artifacts/artifacts", "1/r/artifacts")]
    [TestCase("https://h/p/api/2.0/mlflow-artifacts/artifacts/1/r%20x/artifacts", "http://ignored", "https://h/p/api/2.0/mlflow-artifacts/artifacts", "1/r x/artifacts")]
    public void Artifact_uris_resolve_as_mlflow_does(string artifactUri, string trackingUri, string expectedBase, string expectedPath)
    {
        var (baseUrl, rootPath) = HttpArtifactRepository.Resolve(artifactUri, new Uri(trackingUri));

        Assert.That(baseUrl, Is.EqualTo(expectedBase));
        Assert.That(rootPath, Is.EqualTo(expectedPath));
    }

    [TestCase("mlflow-artifacts:/0/../../etc")]
    [TestCase("s3://bucket/x")]
    [TestCase("https://h/not-the-artifacts-api/x")]
    public void Other_uris_are_refused(string artifactUri)
    {
        var error = Assert.Throws<MlflowException>(() => HttpArtifactRepository.Resolve(artifactUri, new Uri("http://localhost:5000")));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Files_folders_and_streams_upload_list_read_and_download()
    {
        var experimentId = await _store.CreateExperimentAsync("artifacts");
        var run = await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
        var factory = _store.RegisterArtifactRepositories(new ArtifactRepositoryFactory());
        var repository = factory.Create(run.Info.ArtifactUri);
        var source = _directory.Combine("source");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "alpha");
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "b.txt"), "beta");
        var big = _directory.Combine("big.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(big, bytes);

        var logged = await repository.LogFileAsync(big, "data");
        await repository.LogDirectoryAsync(source, "model");
        await repository.WriteAsync("notes/readme.txt", new MemoryStream(Encoding.UTF8.GetBytes("notes")));
        var top = await repository.ListAsync();
        var model = await repository.ListAsync("model");
        string readme;
        await using (var stream = await repository.OpenReadAsync("notes/readme.txt"))
        {
            readme = await new StreamReader(stream).ReadToEndAsync();
        }

        var downloadedFolder = await repository.DownloadAsync("model", _directory.Combine("out"));
        var downloadedFile = await repository.DownloadAsync("data/big.bin", _directory.Combine("out"));

        Assert.That(repository, Is.InstanceOf<HttpArtifactRepository>());
        Assert.That(run.Info.ArtifactUri, Does.StartWith("mlflow-artifacts:/"));
        Assert.That(logged, Is.EqualTo("data/big.bin"));
        Assert.That(top.Select(e => (e.Path, e.IsDirectory)), Is.EqualTo(new[] { ("data", true), ("model", true), ("notes", true) }));
        Assert.That(model.Select(e => (e.Path, e.IsDirectory, e.FileSize)), Is.EqualTo(new[] { ("model/a.txt", false, (long?)5), ("model/sub", true, null) }));
        Assert.That(readme, Is.EqualTo("notes"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(downloadedFolder, "sub", "b.txt")), Is.EqualTo("beta"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(downloadedFolder, "a.txt")), Is.EqualTo("alpha"));
        Assert.That(await File.ReadAllBytesAsync(downloadedFile), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Reading_a_missing_artifact_is_resource_does_not_exist()
    {
        var experimentId = await _store.CreateExperimentAsync("missing");
        var run = await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
        using var repository = new HttpArtifactRepository(run.Info.ArtifactUri, _server.Uri, FastRetries.Options());

        var error = await Assert.ThrowsAsync<MlflowException>(() => repository.OpenReadAsync("none.txt"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }
}
