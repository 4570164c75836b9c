namespace MlWorkflow.Server.Auth;

/// <summary>The wire names of <see cref="MlflowPermissionLevel"/> and what each allows.</summary>
internal static class Permissions
{
    public static string ToWireName(this MlflowPermissionLevel permission) => permission switch
    {
        MlflowPermissionLevel.Read => "READ",
        MlflowPermissionLevel.Edit => "EDIT",
        MlflowPermissionLevel.Manage => "MANAGE",
        MlflowPermissionLevel.NoPermissions => "NO_PERMISSIONS",
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "Not a permission."),
    };

    /// <summary>Parses a wire name; an unknown one is MLflow's 400 listing the valid names.</summary>
    public static MlflowPermissionLevel Parse(string? name) => name switch
    {
        "READ" => MlflowPermissionLevel.Read,
        "EDIT" => MlflowPermissionLevel.Edit,
        "MANAGE" => MlflowPermissionLevel.Manage,
        "NO_PERMISSIONS" => MlflowPermissionLevel.NoPermissions,
        _ => throw MlflowException.InvalidParameter($"Invalid permission '{Endpoints.Excerpt.Of(name ?? string.Empty)}'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')"),
    };

    /// <summary>Whether <paramref name="permission"/> allows <paramref name="capability"/> (the table of MLflow's auth documentation).</summary>
    public static bool Allows(this MlflowPermissionLevel permission, Capability capability) => permission switch
    {
        MlflowPermissionLevel.Read => capability == Capability.Read,
        MlflowPermissionLevel.Edit => capability is Capability.Read or Capability.Update,
        MlflowPermissionLevel.Manage => true,
        _ => false,
    };
}
