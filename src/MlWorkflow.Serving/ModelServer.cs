using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlWorkflow.Serving.Hosting;
using MlWorkflow.Shared;

namespace MlWorkflow.Serving;

/// <summary>
/// A scoring server for one ML.NET model speaking MLflow 2.x's scoring protocol (<c>/ping</c>, <c>/health</c>,
/// <c>/version</c>, <c>/invocations</c>), as <c>mlflow models serve</c> does: a client of one works with the other.
/// </summary>
/// <example>
/// <code>
/// await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = "models:/Price/Production", TrackingUri = "./mlruns", Port = 0 });
/// using var http = new HttpClient { BaseAddress = server.Uri };
/// </code>
/// </example>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModelHolder _holder;

    private ModelServer(WebApplication app, Uri uri, ServedModelHolder holder)
    {
        _app = app;
        Uri = uri;
        _holder = holder;
    }

    /// <summary>The server's base URI, such as <c>http://127.0.0.1:5001/</c> (with the port actually bound).</summary>
    public Uri Uri { get; }

    /// <summary>The registry version being served, or null when the model was not given by a <c>models:/</c> URI.</summary>
    public int? ModelVersion => _holder.Current?.Version;

    /// <summary>Loads the model, starts the server and returns once it listens.</summary>
    /// <param name="options">The model and the host settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">The host is not an IP address or <c>localhost</c>.</exception>
    /// <exception cref="MlWorkflow.Tracking.MlflowException">The model URI names no model.</exception>
    public static async Task<ModelServer> StartAsync(ModelServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = LoopbackBinding.ParseHost(options.Host);
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
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + ScoringEndpoints.DrainAllowance;
            kestrel.Listen(address, options.Port);
        });
        builder.Services.AddMlflowModel(model =>
        {
            model.ModelUri = options.ModelUri;
            model.TrackingUri = options.TrackingUri;
            model.Client = options.Client;
            model.MaxRequestBodyBytes = options.MaxRequestBodyBytes;
            model.RegistryPollInterval = options.RegistryPollInterval;
            model.RequestTimeout = options.RequestTimeout;
            model.UseTreeEvaluator = options.UseTreeEvaluator;
        });
        var app = builder.Build();
        try
        {
            if (options.BearerToken is { Length: > 0 } token)
            {
                app.UseMiddleware<BearerTokenMiddleware>(token);
            }

            app.MapMlflowScoring();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = LoopbackBinding.BoundAddress(app);
            if (!IPAddress.IsLoopback(address) && options.BearerToken is not { Length: > 0 })
            {
                ServingLog.NotLoopback(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlWorkflow.Serving"), bound);
            }

            return new ModelServer(app, new Uri(bound + "/"), app.Services.GetRequiredService<ServedModelHolder>());
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
    }
}
