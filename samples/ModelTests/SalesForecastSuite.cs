using Microsoft.ML;
using MlWorkflow;
using MlWorkflow.Testing.Fixtures;

namespace ModelTests;

/// <summary>
/// What every test here shares, set up once: a temporary tracking store, the golden data set, and the QuickStart's model trained,
/// registered as <c>SalesForecastModel</c> and promoted to Production (alias <c>champion</c>), as the QuickStart's part 4 does.
/// The store and everything logged to it are deleted when the run ends.
/// </summary>
[SetUpFixture]
public sealed class SalesForecastSuite
{
    public static TemporaryTrackingStore Store { get; private set; } = null!;

    public static MLContext Ml { get; } = new(seed: 42);

    public static IDataView Golden { get; private set; } = null!;

    public static WorkflowResult Champion { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task TrainAndRegisterTheChampionAsync()
    {
        Store = TemporaryTrackingStore.Create();
        Golden = await QuickStartModel.LoadGoldenAsync(Ml);
        Champion = await QuickStartModel.TrainAsync(Store.Client);
        var version = await Champion.Tracking!.RegisterAsync(QuickStartModel.Name);
        await Store.Client.Registry.TransitionStageAsync(QuickStartModel.Name, version.Version, MlWorkflow.Tracking.Registry.ModelVersionStage.Production);
        await Store.Client.Registry.SetAliasAsync(QuickStartModel.Name, "champion", version.Version);
    }

    [OneTimeTearDown]
    public async Task DeleteTheStoreAsync()
    {
        Champion?.Dispose();
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
    }
}
