namespace MlWorkflow.Server.Auth;

/// <summary>
/// Users and permissions, as MLflow's basic-auth app (https://mlflow.org/docs/latest/auth/index.html): every request but
/// <c>/health</c> and the UI's static files needs HTTP Basic credentials (or a bearer token of <see cref="BearerTokens"/>), and
/// every call on an experiment or a registered model needs the caller's permission on it. Set on
/// <see cref="MlflowServerOptions.Auth"/>. Every numeric property is validated when set.
/// </summary>
public sealed class MlflowAuthOptions
{
    /// <summary>The environment variable the first admin's name is read from when <see cref="AdminUsername"/> is null.</summary>
    public const string AdminUsernameVariable = "MLW_ADMIN_USERNAME";

    /// <summary>The environment variable the first admin's password is read from when <see cref="AdminPassword"/> is null.</summary>
    public const string AdminPasswordVariable = "MLW_ADMIN_PASSWORD";

    private int _passwordHashIterations = 600_000;
    private int _maxFailedLogins = 5;

    /// <summary>
    /// The database of users and permissions (MLflow's tables <c>users</c>, <c>experiment_permissions</c>,
    /// <c>registered_model_permissions</c>): a <c>sqlite:</c> or <c>postgresql:</c> URI. The default value is null: the backend
    /// store's own database when it is a SQL store opened from <see cref="MlflowServerOptions.BackendStoreUri"/>, else
    /// <c>basic_auth.db</c> (SQLite, MLflow's default name) in the folder that holds the file store's root.
    /// </summary>
    public string? DatabaseUri { get; set; }

    /// <summary>The permission of a user on an experiment or model they have no record for. The default value is <see cref="MlflowPermissionLevel.Read"/> (MLflow's default); <see cref="MlflowPermissionLevel.NoPermissions"/> keeps users apart.</summary>
    public MlflowPermissionLevel DefaultPermission { get; set; } = MlflowPermissionLevel.Read;

    /// <summary>The admin created at start when no user of that name exists. The default value is null: the environment variable <c>MLW_ADMIN_USERNAME</c>.</summary>
    public string? AdminUsername { get; set; }

    /// <summary>The password of the admin created at start (never logged). The default value is null: the environment variable <c>MLW_ADMIN_PASSWORD</c>.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Bearer tokens, each mapped to the name of the user it acts as (who must exist): a request with
    /// <c>Authorization: Bearer &lt;token&gt;</c> has that user's rights (MLflow's client sends <c>MLFLOW_TRACKING_TOKEN</c> so).
    /// The default value is empty (bearer tokens are refused).
    /// </summary>
    public IDictionary<string, string> BearerTokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The PBKDF2-HMAC-SHA256 iterations of new password hashes (at least 1,000; lower it only in tests). The default value is 600,000.</summary>
    public int PasswordHashIterations
    {
        get => _passwordHashIterations;
        set => _passwordHashIterations = value >= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "PasswordHashIterations must be at least 1000.");
    }

    /// <summary>How many failed logins in a row, for one user name from one client address, are allowed before that pair must wait (1 s, doubling per further failure, at most 15 minutes; answered 429 with <c>Retry-After</c>). The default value is 5.</summary>
    public int MaxFailedLogins
    {
        get => _maxFailedLogins;
        set => _maxFailedLogins = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxFailedLogins must be at least 1.");
    }
}
