using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Tests.Stores.File;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>A temp store root per test (deleted afterwards) with a registry and tracking store on it and a hand-moved clock.</summary>
public abstract class RegistryTestFixture : TempStoreFixture
{
    /// <summary>The clock of <see cref="OpenRegistry"/>; starts at 1795770440000.</summary>
    internal ManualClock Clock { get; private set; } = null!;

    [SetUp]
    public async Task CreateClock() => Clock = new ManualClock(1_795_770_440_000);

    /// <summary>A registry at <see cref="TempStoreFixture.Root"/> on <see cref="Clock"/>.</summary>
    protected FileModelRegistryStore OpenRegistry() => new(Root, Clock);

    /// <summary>A registry client on the registry and the tracking store at the root.</summary>
    protected ModelRegistryClient OpenClient() => new(OpenRegistry(), OpenStore(Clock));

    /// <summary>Creates a model with versions whose sources are <c>file:///src/&lt;n&gt;</c>, one clock tick apart.</summary>
    protected async Task<FileModelRegistryStore> RegistryWithVersionsAsync(string name, int versions)
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync(name);
        for (var i = 1; i <= versions; i++)
        {
            Clock.Now++;
            await registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"file:///src/{i}"));
        }

        return registry;
    }

    /// <summary>The code of the <see cref="MlflowException"/> an act throws.</summary>
    protected static async Task<ErrorCode> CodeOf(Func<Task> act) => (await Assert.ThrowsAsync<MlflowException>(act))!.ErrorCode;
}
