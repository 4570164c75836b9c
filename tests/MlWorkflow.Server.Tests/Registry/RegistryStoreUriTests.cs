using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Registry;

/// <summary><see cref="MlflowServerOptions.RegistryStoreUri"/>: the registry in another place than the backend store, as <c>mlflow server --registry-store-uri</c>.</summary>
public sealed class RegistryStoreUriTests
{
    [Test]
    public async Task A_folder_registry_store_uri_keeps_models_there_and_runs_in_the_backend_store()
    {
        using var directory = new TemporaryDirectory();
        var backend = directory.Combine("mlruns");
        var registryRoot = directory.Combine("registry");
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = backend, RegistryStoreUri = new Uri(registryRoot).AbsoluteUri, Port = 0, ServeUi = false });
        await using var client = MlflowClient.Create(server.Uri.ToString());

        var experimentId = await client.CreateExperimentAsync("runs-here");
        await client.Registry.Store.CreateRegisteredModelAsync("model-there");

        Assert.That(Directory.Exists(Path.Combine(backend, experimentId)), Is.True, "runs in the backend store");
        Assert.That(Directory.Exists(Path.Combine(registryRoot, "models", "model-there")), Is.True, "the model in the registry store's models/");
        Assert.That(Directory.Exists(Path.Combine(backend, "models", "model-there")), Is.False);
        Assert.That((await new FileModelRegistryStore(registryRoot).GetRegisteredModelAsync("model-there")).Name, Is.EqualTo("model-there"));
    }

    [Test]
    public async Task A_registry_store_uri_naming_a_server_is_refused_at_start()
    {
        using var directory = new TemporaryDirectory();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = directory.Combine("mlruns"), RegistryStoreUri = "https://registry.example.com", Port = 0, ServeUi = false });
        });

        Assert.That(error!.Message, Does.Contain("http(s) server").And.Not.Contain("registry.example.com"));
    }
}
