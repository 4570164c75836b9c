using System.Net;
using System.Net.NetworkInformation;

namespace MlWorkflow.Server.Security;

/// <summary>
/// The host names a server answers (its <c>Host</c> header), against DNS rebinding: a page of another site that resolves its
/// own name to 127.0.0.1 sends requests whose <c>Host</c> is that name, which is refused. Entries are names or addresses
/// (case-insensitive; IPv6 in brackets), <c>*.example.com</c> for any subdomain, or <c>*</c> for any host.
/// </summary>
internal sealed class AllowedHosts
{
    /// <summary>The names of the loopback interface.</summary>
    public static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly HashSet<string> _exact;
    private readonly string[] _suffixes;
    private readonly bool _any;

    public AllowedHosts(IEnumerable<string> entries)
    {
        var list = entries.Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        Entries = list;
        _any = list.Contains("*");
        _exact = new HashSet<string>(list.Where(e => !e.StartsWith('*')), StringComparer.OrdinalIgnoreCase);
        _suffixes = [.. list.Where(e => e.StartsWith("*.", StringComparison.Ordinal)).Select(e => e[1..])];
    }

    public IReadOnlyList<string> Entries { get; }

    /// <summary>The names a server bound to <paramref name="address"/> answers by default: the loopback names when bound to loopback; every local name and address when bound to all interfaces; else the bound address.</summary>
    public static AllowedHosts ForBinding(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return new AllowedHosts(LoopbackNames);
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            var names = new List<string>(LoopbackNames) { Dns.GetHostName() };
            names.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => Format(a.Address)));
            return new AllowedHosts(names);
        }

        return new AllowedHosts([Format(address)]);
    }

    /// <summary>Whether a request's host (without its port) is allowed.</summary>
    public bool Allows(string host) =>
        _any
        || _exact.Contains(host)
        || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase) && host.Length > s.Length);

    private static string Format(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + new IPAddress(address.GetAddressBytes()) + "]" : address.ToString();
}
