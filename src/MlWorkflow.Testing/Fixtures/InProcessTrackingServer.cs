using MlWorkflow.Server;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Fixtures;

/// <summary>
/// A tracking server (<see cref="TrackingServer"/>) on a free port of 127.0.0.1 over a file store in a fresh temporary folder,
/// with a REST client on it; disposing it stops the server and deletes the folder. Code under test reaches it at
/// <see cref="TrackingUri"/>, as it would a remote MLflow server.
/// </summary>
/// <example>
/// <code>
/// await using var server = await InProcessTrackingServer.StartAsync();
/// var experimentId = await server.Client.CreateExperimentAsync("tests");
/// </code>
/// </example>
public sealed class InProcessTrackingServer : IAsyncDisposable
{
    private readonly TrackingServer _server;

    private InProcessTrackingServer(TrackingServer server, string root)
    {
        _server = server;
        Root = root;
        Client = MlflowClient.Create(server.Uri.ToString());
    }

    /// <summary>The folder of the store the server serves (absolute path); it does not exist any more once disposed.</summary>
    public string Root { get; }

    /// <summary>The server's base URI, such as <c>http://127.0.0.1:49152</c>.</summary>
    public Uri Uri => _server.Uri;

    /// <summary>The value of <c>MLFLOW_TRACKING_URI</c> for code under test: the server's base URI.</summary>
    public string TrackingUri => _server.Uri.ToString().TrimEnd('/');

    /// <summary>A client that talks to the server over HTTP (tracking and registry).</summary>
    public MlflowClient Client { get; }

    /// <summary>Starts a server on a free loopback port over an empty store in a new folder.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and delete its store.</returns>
    public static async Task<InProcessTrackingServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(Path.GetTempPath(), "mlw-server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = root, Port = 0 }, cancellationToken).ConfigureAwait(false);
            return new InProcessTrackingServer(server, root);
        }
        catch
        {
            TestFolders.Delete(root);
            throw;
        }
    }

    /// <summary>Disposes the client, stops the server and deletes the store's folder.</summary>
    /// <returns>A task that completes when the server has stopped and the folder is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        TestFolders.Delete(Root);
    }
}
