using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>The registry contract against the REST registry, through MlWorkflow's server on 127.0.0.1 with a file store behind it.</summary>
[TestFixture]
public sealed class RestModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    private TrackingServer? _server;
    private RestModelRegistryStore? _registry;

    protected override async Task<IModelRegistryStore> CreateRegistryAsync(string root)
    {
        _server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = new FileTrackingStore(root), Port = 0 });
        _registry = new RestModelRegistryStore(_server.Uri, FastRetries.Options(maxRetries: 1));
        return _registry;
    }

    [TearDown]
    public async Task StopServer()
    {
        _registry?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
