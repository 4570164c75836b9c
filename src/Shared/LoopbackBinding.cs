using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MlWorkflow.Shared;

/// <summary>
/// What the tracking server and the model server both do with the address they listen on: parse the host option and read back
/// the address Kestrel bound (a port 0 made concrete). Compiled into each server package (linked source, not a public type).
/// </summary>
internal static class LoopbackBinding
{
    /// <summary>The address to listen on: <c>localhost</c> is the IPv4 loopback, anything else must be an IP address.</summary>
    public static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new ArgumentException($"Host '{host}' is not an IP address or 'localhost'.", nameof(host));
    }

    /// <summary>The first address the started app listens on, with a wildcard IPv6 host shown as <c>localhost</c>.</summary>
    public static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal);
}
