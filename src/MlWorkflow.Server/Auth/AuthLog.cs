using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Server.Auth;

/// <summary>What the auth layer logs (never a password or token) and counts: logins by outcome on the meter <c>MlWorkflow.Server</c>.</summary>
internal static partial class AuthLog
{
    /// <summary>The meter of the server's auth counters.</summary>
    public static readonly Meter Meter = new("MlWorkflow.Server");

    /// <summary><c>mlw.server.logins</c>: authentications, tagged <c>outcome</c> = <c>success</c>, <c>failure</c> or <c>throttled</c>.</summary>
    public static readonly Counter<long> Logins = Meter.CreateCounter<long>("mlw.server.logins", description: "Authentications by outcome (success, failure, throttled).");

    /// <summary><c>mlw.server.permission_denied</c>: calls refused with 403.</summary>
    public static readonly Counter<long> Denied = Meter.CreateCounter<long>("mlw.server.permission_denied", description: "Calls refused for lack of permission.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed login for user '{User}' from {Address} ({Reason}; {Failures} in a row).")]
    public static partial void LoginFailed(ILogger logger, string user, string address, string reason, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login for user '{User}' from {Address} refused for {Seconds} s after repeated failures.")]
    public static partial void LoginThrottled(ILogger logger, string user, string address, int seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User '{User}' logged in from {Address}.")]
    public static partial void LoggedIn(ILogger logger, string user, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Permission denied to user '{User}': {Method} {Path} needs {Rule}.")]
    public static partial void PermissionDenied(ILogger logger, string user, string method, string? path, string rule);

    [LoggerMessage(Level = LogLevel.Error, Message = "The endpoint {Endpoint} has no permission rule; it is refused to every user but admins.")]
    public static partial void NoRule(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin user '{User}' in the auth database {Database}.")]
    public static partial void AdminCreated(ILogger logger, string user, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Users and permissions are kept in {Database}; default permission {Permission}.")]
    public static partial void AuthEnabled(ILogger logger, string database, MlflowPermissionLevel permission);
}
