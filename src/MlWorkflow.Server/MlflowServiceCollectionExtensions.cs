using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Server.Idempotency;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Server;

/// <summary>Registers what the MLflow endpoints (<see cref="MlflowEndpointRouteBuilderExtensions"/>) need.</summary>
public static class MlflowServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MLflow tracking server's services: its options, routing, and the state its endpoints share (the stores,
    /// the idempotency cache and journal). The stores are <see cref="MlflowServerOptions.Store"/> and
    /// <see cref="MlflowServerOptions.RegistryStore"/> when set, else the <see cref="ITrackingStore"/> and
    /// <see cref="IModelRegistryStore"/> registered in the services, else a file store at <see cref="MlflowServerOptions.BackendStoreUri"/>
    /// (with its file registry). Logs go to the registered <see cref="ILoggerFactory"/> under the category <c>MlWorkflow.Server</c>, and
    /// the artifact repositories the server opens (local folders, S3) log to it under their own categories.
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
        var loggers = services.GetService<ILoggerFactory>();
        var destination = ArtifactLocations.Destination(options, loggers);
        var sql = options.Store is null && services.GetService<ITrackingStore>() is null && SqlTrackingStore.IsDatabaseUri(options.BackendStoreUri);
        if (sql && options.ServeArtifacts)
        {
            // A database holds no files: proxied artifacts go to MLflow's default destination unless told otherwise.
            destination ??= Path.GetFullPath("mlartifacts");
        }

        var defaultRoot = ArtifactLocations.DefaultRoot(options, destination, loggers);
        var store = options.Store ?? services.GetService<ITrackingStore>()
            ?? (sql
                ? new SqlTrackingStore(options.BackendStoreUri, SqlOptions(options, loggers, defaultRoot ?? destination ?? "mlartifacts"))
                : FileTrackingStore.FromUri(options.BackendStoreUri, defaultArtifactRoot: defaultRoot));
        var registry = options.RegistryStore
            ?? services.GetService<IModelRegistryStore>()
            ?? (options.RegistryStoreUri is { Length: > 0 } registryUri ? OpenRegistry(registryUri, options, loggers) : null)
            ?? store switch
            {
                FileTrackingStore files => new FileModelRegistryStore(files.RootDirectory),
                SqlTrackingStore when sql => new SqlModelRegistryStore(options.BackendStoreUri, SqlOptions(options, loggers, null)),
                _ => null,
            };
        var artifacts = !options.ServeArtifacts ? null
            : store is FileTrackingStore fileStore ? new ArtifactRoots(fileStore, fileStore.RootDirectory, destination, loggers)
            : store is SqlTrackingStore sqlStore && destination is not null ? new ArtifactRoots(sqlStore, null, destination, loggers)
            : null;
        var cache = new IdempotencyCache(options.IdempotencyCacheSize, options.IdempotencyCacheBytes, options.IdempotencyCacheLifetime, options.TimeProvider);
        var journalDirectory = options.IdempotencyJournalDirectory ?? (store as FileTrackingStore)?.RootDirectory;
        IdempotencyJournal? journal = null;
        if (cache.Enabled && options.PersistIdempotencyKeys && journalDirectory is not null)
        {
            journal = new IdempotencyJournal(journalDirectory, options.IdempotencyJournalBytes, options.IdempotencyCacheLifetime, options.TimeProvider, logger);
            journal.LoadInto(cache);
        }

        return new ServerContext(store, artifacts, options, registry, new IdempotentWrites(cache, journal), logger, loggers);
    }

    /// <summary>The registry at <see cref="MlflowServerOptions.RegistryStoreUri"/>: a database in MLflow's schema, or a file store root.</summary>
    private static IModelRegistryStore OpenRegistry(string uri, MlflowServerOptions options, ILoggerFactory? loggers)
    {
        if (SqlTrackingStore.IsDatabaseUri(uri))
        {
            return new SqlModelRegistryStore(uri, SqlOptions(options, loggers, null));
        }

        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The registry store URI names an http(s) server; a server keeps its registry in a folder (a file store root) or a database (sqlite:///…, postgresql://…).", nameof(options));
        }

        return new FileModelRegistryStore(FileUris.ToPath(uri), options.TimeProvider);
    }

    /// <summary>The settings of the SQL stores a database <see cref="MlflowServerOptions.BackendStoreUri"/> opens.</summary>
    private static SqlStoreOptions SqlOptions(MlflowServerOptions options, ILoggerFactory? loggers, string? defaultArtifactRoot) => new()
    {
        DefaultArtifactRoot = defaultArtifactRoot,
        TimeProvider = options.TimeProvider,
        LoggerFactory = loggers,
    };
}
