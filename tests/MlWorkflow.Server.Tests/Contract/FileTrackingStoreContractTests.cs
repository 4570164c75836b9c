using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>The contract against the file store, called directly.</summary>
[TestFixture]
public sealed class FileTrackingStoreContractTests : TrackingStoreContract
{
    protected override Task<ITrackingStore> CreateStoreAsync(string root) => Task.FromResult<ITrackingStore>(new FileTrackingStore(root));
}
