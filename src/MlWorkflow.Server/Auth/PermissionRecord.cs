namespace MlWorkflow.Server.Auth;

/// <summary>A row of <c>experiment_permissions</c> (resource = experiment id) or <c>registered_model_permissions</c> (resource = model name).</summary>
internal sealed record PermissionRecord(string Resource, MlflowPermissionLevel Permission, long UserId);
