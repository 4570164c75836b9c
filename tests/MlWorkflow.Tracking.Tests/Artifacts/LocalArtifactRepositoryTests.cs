using System.Text;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.Tests.Artifacts;

public class LocalArtifactRepositoryTests
{
    private TemporaryDirectory _temp = null!;
    private LocalArtifactRepository _repository = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _repository = new LocalArtifactRepository(new Uri(_temp.Combine("artifacts")).AbsoluteUri);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Root_uri_and_directory_come_from_a_file_uri()
    {
        Assert.That(_repository.RootUri, Does.StartWith("file:///"));
        Assert.That(_repository.RootDirectory, Is.EqualTo(_temp.Combine("artifacts")));
    }

    [Test]
    public void A_plain_path_gets_a_file_uri()
    {
        var repository = new LocalArtifactRepository(_temp.Combine("with space"));
        Assert.That(repository.RootUri, Does.StartWith("file:///").And.EndWith("with%20space"));
    }

    [Test]
    public async Task Logs_a_file_under_a_path_and_lists_it()
    {
        var local = _temp.Combine("readme.txt");
        await File.WriteAllTextAsync(local, "hello");

        var stored = await _repository.LogFileAsync(local, "notes");

        Assert.That(stored, Is.EqualTo("notes/readme.txt"));
        Assert.That(await File.ReadAllTextAsync(_temp.Combine("artifacts", "notes", "readme.txt")), Is.EqualTo("hello"));
        var root = await _repository.ListAsync();
        Assert.That(root, Is.EqualTo(new[] { new ArtifactFileInfo("notes", true, null) }));
        var notes = await _repository.ListAsync("notes");
        Assert.That(notes, Is.EqualTo(new[] { new ArtifactFileInfo("notes/readme.txt", false, 5) }));
    }

    [Test]
    public async Task Logs_a_folder_recursively_with_empty_subfolders()
    {
        var local = _temp.Combine("model");
        Directory.CreateDirectory(Path.Combine(local, "sub", "deeper"));
        Directory.CreateDirectory(Path.Combine(local, "empty"));
        await File.WriteAllTextAsync(Path.Combine(local, "MLmodel"), "flavors: {}\n");
        await File.WriteAllTextAsync(Path.Combine(local, "sub", "deeper", "w.bin"), "xyz");

        await _repository.LogDirectoryAsync(local, "model");

        var listing = await _repository.ListAsync("model");
        Assert.That(listing.Select(e => e.Path), Is.EqualTo(new[] { "model/MLmodel", "model/empty", "model/sub" }));
        Assert.That(File.Exists(_temp.Combine("artifacts", "model", "sub", "deeper", "w.bin")), Is.True);
    }

    [Test]
    public async Task Writes_replace_a_file_whole_and_read_back()
    {
        await _repository.WriteAsync("data/x.json", new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}")));
        await _repository.WriteAsync("data/x.json", new MemoryStream(Encoding.UTF8.GetBytes("{}")));

        await using var stream = await _repository.OpenReadAsync("data/x.json");
        using var reader = new StreamReader(stream);
        Assert.That(await reader.ReadToEndAsync(), Is.EqualTo("{}"));
        Assert.That(Directory.GetFiles(_temp.Combine("artifacts", "data")), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task Downloads_a_file_and_a_folder()
    {
        await _repository.WriteAsync("model/MLmodel", new MemoryStream("m"u8.ToArray()));
        await _repository.WriteAsync("model/sub/w.bin", new MemoryStream("w"u8.ToArray()));
        var destination = _temp.Combine("download");

        var file = await _repository.DownloadAsync("model/MLmodel", destination);
        var folder = await _repository.DownloadAsync("model", destination);

        Assert.That(file, Is.EqualTo(Path.Combine(destination, "MLmodel")));
        Assert.That(folder, Is.EqualTo(Path.Combine(destination, "model")));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder, "sub", "w.bin")), Is.EqualTo("w"));
    }

    [Test]
    public async Task Missing_artifacts_are_reported_as_not_found()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.OpenReadAsync("nope.txt"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        await Assert.ThrowsAsync<MlflowException>(() => _repository.DownloadAsync("nope", _temp.Combine("d")));
    }

    [Test]
    public async Task Listing_a_missing_folder_is_empty() =>
        Assert.That(await _repository.ListAsync("nothing/here"), Is.Empty);

    [TestCase("../escape.txt")]
    [TestCase("/tmp/escape.txt")]
    [TestCase("a/../../escape.txt")]
    [TestCase("C:/escape.txt")]
    [TestCase("a\0.txt")]
    public async Task No_write_escapes_the_root(string path)
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.WriteAsync(path, new MemoryStream("x"u8.ToArray())));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(Directory.GetFiles(_temp.Path, "escape.txt", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task No_write_escapes_through_a_link()
    {
        Directory.CreateDirectory(_temp.Combine("artifacts"));
        Directory.CreateDirectory(_temp.Combine("outside"));
        Directory.CreateSymbolicLink(_temp.Combine("artifacts", "link"), _temp.Combine("outside"));

        await Assert.ThrowsAsync<MlflowException>(() => _repository.WriteAsync("link/escape.txt", new MemoryStream("x"u8.ToArray())));
        Assert.That(Directory.GetFiles(_temp.Combine("outside")), Is.Empty);
        Assert.That(await _repository.ListAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deletes_a_file_and_a_folder_with_everything_under_it_and_nothing_else()
    {
        await _repository.WriteAsync("keep.txt", new MemoryStream("k"u8.ToArray()));
        await _repository.WriteAsync("model/MLmodel", new MemoryStream("m"u8.ToArray()));
        await _repository.WriteAsync("model/data/w.bin", new MemoryStream("w"u8.ToArray()));
        await _repository.WriteAsync("plots/a.png", new MemoryStream("p"u8.ToArray()));

        await _repository.DeleteAsync("model");
        await _repository.DeleteAsync("plots/a.png");
        await _repository.DeleteAsync("never/there.txt");

        Assert.Multiple(async () =>
        {
            Assert.That((await _repository.ListAsync()).Select(e => e.Path), Is.EqualTo(new[] { "keep.txt", "plots" }));
            Assert.That(await _repository.ListAsync("plots"), Is.Empty);
            Assert.That(Directory.Exists(_temp.Combine("artifacts", "model")), Is.False);
        });
    }

    [TestCase("")]
    [TestCase("/")]
    [TestCase("../artifacts")]
    [TestCase("a/../../x")]
    public async Task Deleting_the_root_or_outside_it_is_an_invalid_parameter_and_deletes_nothing(string path)
    {
        await _repository.WriteAsync("keep.txt", new MemoryStream("k"u8.ToArray()));

        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.DeleteAsync(path));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(File.Exists(_temp.Combine("artifacts", "keep.txt")), Is.True);
    }

    [Test]
    public async Task Deleting_a_link_inside_the_root_removes_the_link_not_what_it_points_to()
    {
        await _repository.WriteAsync("real/w.bin", new MemoryStream("w"u8.ToArray()));
        Directory.CreateSymbolicLink(_temp.Combine("artifacts", "alias"), _temp.Combine("artifacts", "real"));
        Directory.CreateDirectory(_temp.Combine("outside"));
        await File.WriteAllTextAsync(_temp.Combine("outside", "o.txt"), "o");
        Directory.CreateSymbolicLink(_temp.Combine("artifacts", "escape"), _temp.Combine("outside"));

        await _repository.DeleteAsync("alias");
        await Assert.ThrowsAsync<MlflowException>(() => _repository.DeleteAsync("escape/o.txt"));

        Assert.Multiple(() =>
        {
            Assert.That(Path.Exists(_temp.Combine("artifacts", "alias")), Is.False);
            Assert.That(File.Exists(_temp.Combine("artifacts", "real", "w.bin")), Is.True);
            Assert.That(File.Exists(_temp.Combine("outside", "o.txt")), Is.True);
        });
    }

    [Test]
    public async Task A_file_cannot_be_logged_under_an_escaping_path()
    {
        var local = _temp.Combine("f.txt");
        File.WriteAllText(local, "x");
        await Assert.ThrowsAsync<MlflowException>(() => _repository.LogFileAsync(local, "../.."));
    }

    [Test]
    public void The_factory_chooses_by_scheme()
    {
        var factory = new ArtifactRepositoryFactory();
        Assert.That(factory.Create(_temp.Path), Is.TypeOf<LocalArtifactRepository>());
        Assert.That(factory.Create(new Uri(_temp.Path).AbsoluteUri), Is.TypeOf<LocalArtifactRepository>());
        var error = Assert.Throws<MlflowException>(() => factory.Create("s3://bucket/x"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.NotImplemented));
        Assert.That(error.Message, Is.EqualTo("s3: artifact URIs need the MlWorkflow.Tracking.S3 package: add it to the application (dotnet add package MlWorkflow.Tracking.S3)."), "this project does not reference the S3 package");
        factory.Register("s3", uri => new LocalArtifactRepository(_temp.Combine("s3")));
        Assert.That(factory.Create("s3://bucket/x"), Is.TypeOf<LocalArtifactRepository>());
    }

    [TestCase(219)]
    [TestCase(240)]
    [TestCase(255)]
    public async Task Any_name_a_file_can_have_is_written(int bytes)
    {
        var name = new string('a', bytes);

        await _repository.WriteAsync("long/" + name, new MemoryStream([1, 2]));

        Assert.That(File.ReadAllBytes(_temp.Combine("artifacts", "long", name)), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(Directory.GetFiles(_temp.Combine("artifacts", "long")), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task A_name_longer_than_a_file_name_can_be_is_an_invalid_parameter()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.WriteAsync("x/" + new string('é', 128), new MemoryStream([1])));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("256 bytes").And.Not.Contain(_temp.Path));
        Assert.That(Directory.Exists(_temp.Combine("artifacts", "x")), Is.False, "nothing is created");
    }

    [Test]
    public async Task A_write_under_an_existing_file_is_an_invalid_parameter_naming_the_file()
    {
        await _repository.WriteAsync("f.txt", new MemoryStream([1]));

        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.WriteAsync("f.txt/child", new MemoryStream([2])));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("'f.txt' is a file").And.Not.Contain(_temp.Path).And.Not.Contain("System."));
        Assert.That(File.ReadAllBytes(_temp.Combine("artifacts", "f.txt")), Is.EqualTo(new byte[] { 1 }));
    }

    [Test]
    public async Task A_missing_artifact_is_not_found_without_naming_the_server_path()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => _repository.OpenReadAsync("nope.txt"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(error.Message, Does.Contain("nope.txt").And.Not.Contain(_temp.Path));
    }
}
