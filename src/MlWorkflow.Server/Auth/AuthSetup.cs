using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Server.Auth;

/// <summary>Opens the auth database of a server (creating MLflow's auth tables) and its first admin, before the server listens.</summary>
internal static class AuthSetup
{
    public static async Task<AuthServices> StartAsync(MlflowServerOptions options, MlflowAuthOptions auth, ServerContext server, TimeProvider time, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        var backendDatabase = options.Store is null && SqlTrackingStore.IsDatabaseUri(options.BackendStoreUri);
        var uri = auth.DatabaseUri
            ?? (backendDatabase ? options.BackendStoreUri : null)
            ?? (server.Store is FileTrackingStore files ? DefaultFileDatabase(files.RootDirectory) : null)
            ?? throw new ArgumentException("Auth needs a database for users and permissions: set MlflowAuthOptions.DatabaseUri (mlw server --auth-database-uri), since the backend store is neither a folder nor a database URI.", nameof(options));

        // The backend's own database, by default or named again explicitly: its tables beside MLflow's.
        var shared = backendDatabase && uri == options.BackendStoreUri;
        if (shared)
        {
            // MLflow's schema first: the store creates it only in a database without tables.
            await server.Store.SearchExperimentsAsync(new SearchExperimentsRequest { MaxResults = 1 }, cancellationToken).ConfigureAwait(false);
        }

        var store = new AuthStore(new SqlConnectionSource(uri, loggerFactory: loggers), ownDatabase: uri != options.BackendStoreUri);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        AuthLog.AuthEnabled(server.Logger, store.RedactedUri, auth.DefaultPermission);

        var username = auth.AdminUsername ?? Environment.GetEnvironmentVariable(MlflowAuthOptions.AdminUsernameVariable);
        var password = auth.AdminPassword ?? Environment.GetEnvironmentVariable(MlflowAuthOptions.AdminPasswordVariable);
        if (string.IsNullOrEmpty(username) != string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"The first admin needs both a name and a password: set both {MlflowAuthOptions.AdminUsernameVariable} and {MlflowAuthOptions.AdminPasswordVariable} (or MlflowAuthOptions.AdminUsername and AdminPassword).");
        }

        if (!string.IsNullOrEmpty(username) && await store.FindUserAsync(username, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await store.CreateUserAsync(username, PasswordHasher.Hash(password!, auth.PasswordHashIterations), isAdmin: true, cancellationToken).ConfigureAwait(false);
                AuthLog.AdminCreated(server.Logger, username, store.RedactedUri);
            }
            catch (MlflowException e) when (e.ErrorCode == ErrorCode.ResourceAlreadyExists)
            {
                // Another server process created it at the same time.
            }
        }

        if (!await store.HasAdminAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Auth is on but the auth database {store.RedactedUri} has no admin: set {MlflowAuthOptions.AdminUsernameVariable} and {MlflowAuthOptions.AdminPasswordVariable} (or MlflowAuthOptions.AdminUsername and AdminPassword) to create the first one.");
        }

        var access = new AccessControl(store, server.Store, auth.DefaultPermission);
        return new AuthServices(store, new Authenticator(store, auth, time, server.Logger), access, auth);
    }

    /// <summary>MLflow's <c>basic_auth.db</c>, beside the file store's root (where <c>mlflow server</c> run next to <c>./mlruns</c> keeps it).</summary>
    private static string DefaultFileDatabase(string root)
    {
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))) ?? Path.GetFullPath(root);
        return "sqlite:///" + Path.Combine(parent, "basic_auth.db");
    }
}
