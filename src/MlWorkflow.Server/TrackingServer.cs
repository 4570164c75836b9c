using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Server.Auth;
using MlWorkflow.Server.Endpoints;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Server.Security;
using MlWorkflow.Shared;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server;

/// <summary>
/// An MLflow-compatible tracking server: MLflow's REST API 2.0 (<c>/api/2.0/mlflow/…</c> and <c>/ajax-api/2.0/mlflow/…</c>),
/// the model registry endpoints (<c>registered-models/…</c>, <c>model-versions/…</c>) over any <see cref="IModelRegistryStore"/>,
/// the <c>mlflow-artifacts</c> proxy API, <c>/health</c> and <c>/version</c>, and a web UI at <c>/</c> (unless
/// <see cref="TrackingServerOptions.ServeUi"/> is off), over any <see cref="ITrackingStore"/>,
/// with MLflow's JSON, status codes and error bodies. MLflow's Python client and <see cref="RestTrackingStore"/> both talk to it.
/// </summary>
/// <example>
/// <code>
/// await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = "./mlruns", Port = 0 });
/// var store = new RestTrackingStore(server.Uri);
/// </code>
/// </example>
public sealed class TrackingServer : IAsyncDisposable
{
    /// <summary>The version <c>/version</c> answers.</summary>
    public static readonly string Version = typeof(TrackingServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly WebApplication _app;
    private readonly X509Certificate2? _ownedCertificate;

    private TrackingServer(WebApplication app, Uri uri, ITrackingStore store, IModelRegistryStore? registry, X509Certificate2? ownedCertificate)
    {
        _app = app;
        _ownedCertificate = ownedCertificate;
        Uri = uri;
        Store = store;
        Registry = registry;
    }

    /// <summary>The server's base URI, such as <c>http://127.0.0.1:5000</c>, or <c>https://127.0.0.1:5000</c> with a certificate (with the port actually bound).</summary>
    public Uri Uri { get; }

    /// <summary>The store the server serves.</summary>
    public ITrackingStore Store { get; }

    /// <summary>The application's services (the tests enumerate its endpoints).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>The model registry the server serves; null when it has none (its registry endpoints then answer 501).</summary>
    public IModelRegistryStore? Registry { get; }

    /// <summary>Starts a server and returns once it listens.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">The host is not an IP address, or the HTTPS certificate settings conflict or cannot be loaded.</exception>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServerOptions.Auth"/> is set but its database has no admin and none is given (<c>MLW_ADMIN_USERNAME</c> and <c>MLW_ADMIN_PASSWORD</c>).</exception>
    public static async Task<TrackingServer> StartAsync(TrackingServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = LoopbackBinding.ParseHost(options.Host);
        var (certificate, ownsCertificate) = ServerCertificate.Load(options);
        try
        {
            return await StartAsync(options, address, certificate, ownsCertificate ? certificate : null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (ownsCertificate)
            {
                certificate?.Dispose();
            }

            throw;
        }
    }

    private static async Task<TrackingServer> StartAsync(TrackingServerOptions options, IPAddress address, X509Certificate2? certificate, X509Certificate2? ownedCertificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is { } loggers)
        {
            builder.Services.AddSingleton(loggers);
        }
        else
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Listen(address, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddSingleton<IOptions<MlflowServerOptions>>(Options.Create<MlflowServerOptions>(options));
        builder.Services.AddMlflowTrackingServer();
        var app = builder.Build();
        try
        {
            var server = app.Services.GetRequiredService<ServerContext>();
            var allowed = options.AllowedHosts is { } hosts ? new AllowedHosts(hosts) : AllowedHosts.ForBinding(address);
            app.UseMiddleware<HostFilterMiddleware>(allowed);
            app.Use(async (context, next) =>
            {
                try
                {
                    await next(context).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException && e is not OperationCanceledException)
                {
                    await ErrorAnswers.WriteAsync(context, e, server, server.Logger).ConfigureAwait(false);
                }
            });
            options.ConfigurePipeline?.Invoke(app);
            app.UseRouting();
            if (options.Auth is { } authOptions)
            {
                var auth = await AuthSetup.StartAsync(options, authOptions, server, options.TimeProvider, app.Services.GetService<ILoggerFactory>(), cancellationToken).ConfigureAwait(false);
                app.UseMiddleware<AuthMiddleware>(auth, server);
                server.AuthApplied = true;
                AuthEndpoints.Map(new EndpointRoutes(app, server), server, auth);
            }

            app.MapGet("/health", () => Results.Text("OK", "text/html")).WithMetadata(new MlflowRoute("GET", "/health"));
            app.MapGet("/version", () => Results.Text(Version, "text/plain")).WithMetadata(new MlflowRoute("GET", "/version"));
            app.MapMlflow();
            if (options.ServeUi)
            {
                app.MapMlflowUi();
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = LoopbackBinding.BoundAddress(app);
            if (!IPAddress.IsLoopback(address) && options.Auth is null)
            {
                ServerLog.NotLoopback(server.Logger, bound);
            }

            return new TrackingServer(app, new Uri(bound), server.Store, server.Registry, ownedCertificate);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the server stops (Ctrl+C in a console host, or <paramref name="cancellationToken"/>).</summary>
    /// <param name="cancellationToken">Stops the server when cancelled.</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellationToken);

    /// <summary>Stops the server and releases its port.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _ownedCertificate?.Dispose();
    }
}
