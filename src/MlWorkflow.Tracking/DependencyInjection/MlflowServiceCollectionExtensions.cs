using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.DependencyInjection;
using MlWorkflow.Tracking.Stores.Rest;

#pragma warning disable IDE0130 // .NET's convention: AddXxx extensions live in this namespace, so they need no extra using.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers MlWorkflow's tracking client in a generic host's services.</summary>
public static class MlflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="MlflowClient"/> (and its <see cref="ITrackingStore"/>) built from
    /// <see cref="MlflowOptions"/>: REST calls go through the <see cref="IHttpClientFactory"/> client named
    /// <see cref="MlflowOptions.HttpClientName"/> and log to the host's <see cref="ILoggerFactory"/>; the container disposes the
    /// client (and the stores it opened) when the host stops. Traces and metrics are reported under
    /// <see cref="MlWorkflow.Tracking.Diagnostics.MlflowDiagnostics.SourceName"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; null for the defaults (the <c>MLFLOW_*</c> environment variables).</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMlflow(this IServiceCollection services, Action<MlflowOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MlflowOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHttpClient(MlflowOptions.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => RestTransport.CreateHandler(RestOptionsOf(provider)));
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<MlflowOptions>>().Value;
            var uri = TrackingUri.Resolve(settings.TrackingUri);
            var http = TrackingUri.IsRemote(uri) ? provider.GetRequiredService<IHttpClientFactory>().CreateClient(MlflowOptions.HttpClientName) : null;
            return MlflowClient.CreateWithHttpClient(
                uri,
                new MlflowClientOptions
                {
                    TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
                    Logging = settings.Logging,
                    LoggerFactory = provider.GetService<ILoggerFactory>(),
                    Rest = RestOptionsOf(provider),
                },
                http);
        });
        services.TryAddSingleton(provider => provider.GetRequiredService<MlflowClient>().Store);
        return services;
    }

    private static RestStoreOptions RestOptionsOf(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<MlflowOptions>>().Value.Rest ?? RestStoreOptions.FromEnvironment();
}
