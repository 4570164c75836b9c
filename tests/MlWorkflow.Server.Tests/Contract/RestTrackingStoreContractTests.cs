using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>The contract against the REST store, through MlWorkflow's server on 127.0.0.1 with a file store behind it.</summary>
[TestFixture]
public sealed class RestTrackingStoreContractTests : TrackingStoreContract
{
    private TrackingServer? _server;
    private RestTrackingStore? _store;

    protected override async Task<ITrackingStore> CreateStoreAsync(string root)
    {
        _server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = new FileTrackingStore(root), Port = 0 });
        _store = new RestTrackingStore(_server.Uri, FastRetries.Options(maxRetries: 1));
        return _store;
    }

    [TearDown]
    public async Task StopServer()
    {
        _store?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
