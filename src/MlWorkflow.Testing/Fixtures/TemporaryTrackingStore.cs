using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Fixtures;

/// <summary>
/// A tracking file store (MLflow's <c>mlruns</c> layout) in a fresh folder under the system temp folder, with a client on it;
/// disposing it deletes the folder and everything logged there. Create one per test or per fixture.
/// </summary>
/// <example>
/// <code>
/// await using var store = TemporaryTrackingStore.Create();
/// var run = await store.Client.StartRunAsync();
/// </code>
/// </example>
public sealed class TemporaryTrackingStore : IAsyncDisposable
{
    private TemporaryTrackingStore(string root)
    {
        Root = root;
        Client = MlflowClient.Create(root);
    }

    /// <summary>The store's folder (absolute path); it does not exist any more once disposed.</summary>
    public string Root { get; }

    /// <summary>The value of <c>MLFLOW_TRACKING_URI</c> for code under test: the store's folder.</summary>
    public string TrackingUri => Root;

    /// <summary>A client on the store (tracking and registry).</summary>
    public MlflowClient Client { get; }

    /// <summary>Creates an empty store in a new folder.</summary>
    /// <returns>The store; dispose it to delete it.</returns>
    public static TemporaryTrackingStore Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "mlw-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new TemporaryTrackingStore(root);
    }

    /// <summary>Disposes the client and deletes the folder with everything in it.</summary>
    /// <returns>A task that completes when the folder is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        TestFolders.Delete(Root);
    }
}
