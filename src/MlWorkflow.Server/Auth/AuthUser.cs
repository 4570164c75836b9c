namespace MlWorkflow.Server.Auth;

/// <summary>A row of <c>users</c>.</summary>
internal sealed record AuthUser(long Id, string Username, string PasswordHash, bool IsAdmin);
