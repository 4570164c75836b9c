using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>The registry contract against the file registry, called directly.</summary>
[TestFixture]
public sealed class FileModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    protected override Task<IModelRegistryStore> CreateRegistryAsync(string root) => Task.FromResult<IModelRegistryStore>(new FileModelRegistryStore(root));
}
