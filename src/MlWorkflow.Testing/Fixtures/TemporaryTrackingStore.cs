using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Testing.Fixtures;

/// <summary>
/// A tracking store in a fresh folder under the system temp folder, with a client on it: MLflow's file store (<c>mlruns</c>
/// layout, <see cref="Create"/>) or a SQLite database in MLflow's schema (<see cref="CreateSqlite"/>); disposing it deletes
/// the folder and everything logged there. Create one per test or per fixture.
/// </summary>
/// <example>
/// <code>
/// await using var store = TemporaryTrackingStore.Create();
/// var run = await store.Client.StartRunAsync();
/// </code>
/// </example>
public sealed class TemporaryTrackingStore : IAsyncDisposable
{
    private TemporaryTrackingStore(string root, string trackingUri, MlflowClient client)
    {
        Root = root;
        TrackingUri = trackingUri;
        Client = client;
    }

    /// <summary>The store's folder (absolute path); it does not exist any more once disposed.</summary>
    public string Root { get; }

    /// <summary>The value of <c>MLFLOW_TRACKING_URI</c> for code under test: the store's folder, or the database's <c>sqlite:</c> URI.</summary>
    public string TrackingUri { get; }

    /// <summary>A client on the store (tracking and registry).</summary>
    public MlflowClient Client { get; }

    /// <summary>Creates an empty store in a new folder.</summary>
    /// <returns>The store; dispose it to delete it.</returns>
    public static TemporaryTrackingStore Create()
    {
        var root = NewRoot();
        return new TemporaryTrackingStore(root, root, MlflowClient.Create(root));
    }

    /// <summary>
    /// Creates an empty SQLite database in MLflow's schema (<c>mlflow.db</c>, tracking and registry) in a new folder; artifacts
    /// of the experiments created through it go to the folder's <c>artifacts</c> subfolder.
    /// </summary>
    /// <returns>The store; dispose it to delete it.</returns>
    public static TemporaryTrackingStore CreateSqlite()
    {
        var root = NewRoot();
        var uri = "sqlite:///" + Path.Combine(root, "mlflow.db");
        var options = new SqlStoreOptions { DefaultArtifactRoot = Path.Combine(root, "artifacts") };
        return new TemporaryTrackingStore(root, uri, new MlflowClient(new SqlTrackingStore(uri, options), registryStore: new SqlModelRegistryStore(uri, options)));
    }

    private static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "mlw-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>Disposes the client and deletes the folder with everything in it.</summary>
    /// <returns>A task that completes when the folder is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        TestFolders.Delete(Root);
    }
}
