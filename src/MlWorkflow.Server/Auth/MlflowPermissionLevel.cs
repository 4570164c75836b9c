namespace MlWorkflow.Server.Auth;

/// <summary>
/// A user's permission on an experiment or a registered model, as MLflow's basic-auth app names them
/// (https://mlflow.org/docs/latest/auth/index.html#permissions): what each allows is read ⊂ update ⊂ delete ⊂ manage.
/// </summary>
public enum MlflowPermissionLevel
{
    /// <summary><c>READ</c>: read the experiment (its runs, metrics, artifacts) or the model (its versions).</summary>
    Read,

    /// <summary><c>EDIT</c>: read and update (log to runs, create runs, rename, tag, create versions).</summary>
    Edit,

    /// <summary><c>MANAGE</c>: read, update, delete, and grant permissions to others.</summary>
    Manage,

    /// <summary><c>NO_PERMISSIONS</c>: nothing; the experiment or model is hidden from lists.</summary>
    NoPermissions,
}
