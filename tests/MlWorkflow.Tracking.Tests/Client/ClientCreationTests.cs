using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

/// <summary>What <see cref="MlflowClient.Create"/> accepts, shows, owns and leaves alone (issues 10.10, 11.8, 12.7).</summary>
[NonParallelizable]
public class ClientCreationTests
{
    private TemporaryDirectory _temp = null!;
    private string? _savedUri;
    private string? _savedRegistry;
    private string _savedDirectory = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TemporaryDirectory();
        _savedUri = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        _savedRegistry = Environment.GetEnvironmentVariable("MLFLOW_REGISTRY_URI");
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", null);
        Environment.SetEnvironmentVariable("MLFLOW_REGISTRY_URI", null);
        _savedDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _temp.Path;
    }

    [TearDown]
    public void TearDown()
    {
        Environment.CurrentDirectory = _savedDirectory;
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", _savedUri);
        Environment.SetEnvironmentVariable("MLFLOW_REGISTRY_URI", _savedRegistry);
        _temp.Dispose();
    }

    [Test]
    public void The_tracking_uri_shows_no_password()
    {
        using var client = MlflowClient.Create("http://bob:pw@127.0.0.1:5000");
        Assert.That(client.TrackingUri, Is.EqualTo("http://bob:***@127.0.0.1:5000"));
        Assert.That(client.Store.ToString(), Does.Not.Contain("pw"));
    }

    [TestCase("http//127.0.0.1:5000")]
    [TestCase("https//mlflow.example.com")]
    [TestCase("http:/127.0.0.1:5000")]
    [TestCase("http:127.0.0.1:5000")]
    public void A_mistyped_http_uri_is_refused_and_never_becomes_a_folder(string uri)
    {
        var error = Assert.Throws<MlflowException>(() => MlflowClient.Create(uri));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain(uri).And.Contain("http://host:port").And.Contain("file:"));
        Assert.That(Directory.EnumerateFileSystemEntries(_temp.Path), Is.Empty, "nothing was created in the working folder");
    }

    [TestCase("http/runs")]
    [TestCase("https-store")]
    public void A_folder_whose_name_starts_with_http_is_still_a_folder(string folder) =>
        Assert.That(TrackingUri.Resolve(folder), Is.EqualTo(new Uri(Path.Combine(_temp.Path, folder)).AbsoluteUri));

    [Test]
    public void A_mistyped_uri_in_the_environment_names_the_variable()
    {
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", "http//127.0.0.1:5000");
        var error = Assert.Throws<MlflowException>(() => MlflowClient.Create());
        Assert.That(error!.Message, Does.StartWith("MLFLOW_TRACKING_URI 'http//127.0.0.1:5000'"));
    }

    [TestCase("s3://bucket/mlruns")]
    public void Another_scheme_is_refused_with_the_supported_forms_and_without_its_password(string uri)
    {
        var error = Assert.Throws<MlflowException>(() => MlflowClient.Create(uri));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.NotImplemented));
        Assert.That(error.Message, Does.Contain("http://host:port").And.Not.Contain("secret"));
    }

    [TestCase("postgresql://user:secret@db/mlflow", "Npgsql")]
    [TestCase("sqlite:///mlflow.db", "Microsoft.Data.Sqlite")]
    public void A_database_uri_without_its_driver_names_the_package_to_add_and_not_the_password(string uri, string package)
    {
        // This test project references neither driver: the SQL store says which one to add.
        var error = Assert.Throws<MlflowException>(() => MlflowClient.Create(uri));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.NotImplemented));
        Assert.That(error.Message, Does.Contain("dotnet add package " + package).And.Not.Contain("secret"));
    }

    [Test]
    public void A_models_uri_without_its_slash_names_the_expected_forms()
    {
        var error = Assert.Throws<MlflowException>(() => ModelUri.Parse("models:NoSuchModel"));
        Assert.That(error!.Message, Does.Contain("models:/model_name/suffix").And.Contain("models:/model_name@alias"));
    }

    [Test]
    public void Reusing_one_options_object_for_two_servers_leaves_each_client_bound_to_its_own()
    {
        var options = new MlflowClientOptions();
        using var first = MlflowClient.Create("http://127.0.0.1:5001", options);
        using var second = MlflowClient.Create("http://127.0.0.1:5002", options);

        var fromFirst = (HttpArtifactRepository)first.Options.ArtifactRepositories.Create("mlflow-artifacts:/1/abc/artifacts");
        var fromSecond = (HttpArtifactRepository)second.Options.ArtifactRepositories.Create("mlflow-artifacts:/1/abc/artifacts");

        Assert.That(fromFirst.RootUrl, Does.StartWith("http://127.0.0.1:5001/"));
        Assert.That(fromSecond.RootUrl, Does.StartWith("http://127.0.0.1:5002/"));
        var untouched = Assert.Throws<MlflowException>(() => options.ArtifactRepositories.Create("mlflow-artifacts:/1/abc/artifacts"));
        Assert.That(untouched!.ErrorCode, Is.EqualTo(ErrorCode.NotImplemented), "the caller's factory gained no registration");
    }

    [Test]
    public async Task Disposing_a_created_client_releases_its_rest_store()
    {
        var client = MlflowClient.Create("http://127.0.0.1:5003");
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.Store.GetExperimentAsync("0"));
    }
}
