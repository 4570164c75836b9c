using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Server.Idempotency;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server;

/// <summary>Registers what the MLflow endpoints (<see cref="MlflowEndpointRouteBuilderExtensions"/>) need.</summary>
public static class MlflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MLflow tracking server's services: its options, routing, and the state its endpoints share (the stores,
    /// the idempotency cache and journal). The stores are <see cref="MlflowServerOptions.Store"/> and
    /// <see cref="MlflowServerOptions.RegistryStore"/> when set, else the <see cref="ITrackingStore"/> and
    /// <see cref="IModelRegistryStore"/> registered in the services, else a file store at <see cref="MlflowServerOptions.BackendStoreUri"/>
    /// (with its file registry). Logs go to the registered <see cref="ILoggerFactory"/> under the category <c>MlWorkflow.Server</c>.
    /// </summary>
    /// <param name="services">The services of the application.</param>
    /// <param name="configure">Sets the options; null keeps the defaults (or what <c>services.Configure</c> set).</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddMlflowTrackingServer(this IServiceCollection services, Action<MlflowServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MlflowServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddRoutingCore();
        services.AddSingleton(CreateContext);
        return services;
    }

    private static ServerContext CreateContext(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MlflowServerOptions>>().Value;
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("MlWorkflow.Server");
        var destination = ArtifactLocations.Destination(options);
        var store = options.Store ?? services.GetService<ITrackingStore>()
            ?? FileTrackingStore.FromUri(options.BackendStoreUri, defaultArtifactRoot: ArtifactLocations.DefaultRoot(options, destination));
        var registry = options.RegistryStore
            ?? services.GetService<IModelRegistryStore>()
            ?? (store is FileTrackingStore files ? new FileModelRegistryStore(files.RootDirectory) : null);
        var artifacts = options.ServeArtifacts && store is FileTrackingStore fileStore ? new ArtifactRoots(fileStore, destination) : null;
        var cache = new IdempotencyCache(options.IdempotencyCacheSize, options.IdempotencyCacheBytes, options.IdempotencyCacheLifetime, options.TimeProvider);
        var journalDirectory = options.IdempotencyJournalDirectory ?? (store as FileTrackingStore)?.RootDirectory;
        IdempotencyJournal? journal = null;
        if (cache.Enabled && options.PersistIdempotencyKeys && journalDirectory is not null)
        {
            journal = new IdempotencyJournal(journalDirectory, options.IdempotencyJournalBytes, options.IdempotencyCacheLifetime, options.TimeProvider, logger);
            journal.LoadInto(cache);
        }

        return new ServerContext(store, artifacts, options, registry, new IdempotentWrites(cache, journal), logger);
    }
}
