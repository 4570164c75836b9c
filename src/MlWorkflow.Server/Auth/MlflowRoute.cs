namespace MlWorkflow.Server.Auth;

/// <summary>Endpoint metadata: the method and route an endpoint was mapped with (before any group prefix), by which its <see cref="AccessRule"/> is found.</summary>
internal sealed record MlflowRoute(string Method, string Route);
