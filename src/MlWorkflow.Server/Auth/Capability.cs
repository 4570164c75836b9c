namespace MlWorkflow.Server.Auth;

/// <summary>What a call does to an experiment or a model, which a permission allows or not (MLflow's auth app: read, update, delete, manage).</summary>
internal enum Capability
{
    Read,
    Update,
    Delete,
    Manage,
}
