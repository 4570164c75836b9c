using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server;

/// <summary>Settings of <see cref="TrackingServer"/>: those of its endpoints (<see cref="MlflowServerOptions"/>) and of its host. Every numeric property is validated when set.</summary>
public sealed class TrackingServerOptions : MlflowServerOptions
{
    private int _port = 5000;

    /// <summary>The address to listen on; <c>localhost</c> means the loopback interface. Anything but loopback exposes the store unauthenticated unless <see cref="MlflowServerOptions.Auth"/> is set (the server logs a warning). The default value is <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port, 0 for a free one. The default value is 5000.</summary>
    public int Port
    {
        get => _port;
        set => _port = value is >= 0 and <= 65535 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Port must be between 0 and 65535.");
    }

    /// <summary>
    /// The host names the server answers (the requests' <c>Host</c> header, without port), against DNS rebinding: names or
    /// addresses (IPv6 in brackets), <c>*.example.com</c> for subdomains, <c>*</c> for any. Others get a 403. The default value
    /// is null: <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> when bound to loopback; those, the machine's name and its
    /// addresses when bound to all interfaces (<c>0.0.0.0</c>, <c>::</c>); else the bound address.
    /// </summary>
    public IList<string>? AllowedHosts { get; set; }

    /// <summary>
    /// Where the server logs: ASP.NET Core's request logs (category <c>Microsoft.AspNetCore.Hosting.Diagnostics</c>, one line
    /// per request at Information level), and the server's own (category <c>MlWorkflow.Server</c>: failed requests, the
    /// start-up warnings). The caller keeps ownership. The default value is null: the console, at Warning level and above.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The server certificate, with its private key: when set, the server speaks HTTPS only and <see cref="TrackingServer.Uri"/>
    /// is <c>https://…</c>. The caller keeps ownership. Cannot be combined with <see cref="CertificatePath"/>. The default value is
    /// null (plain HTTP).
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// A file holding the server certificate: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, unlocked by <see cref="CertificatePassword"/>)
    /// or, when <see cref="CertificateKeyPath"/> is set, a PEM certificate. When set, the server speaks HTTPS only. Cannot be
    /// combined with <see cref="Certificate"/>. The default value is null (plain HTTP).
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of the certificate at <see cref="CertificatePath"/> (which is then read as PEM). The default value is null (a PKCS#12 file).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file or of the encrypted PEM key at <see cref="CertificateKeyPath"/>; never shown in messages. The default value is null (none).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Whether the web UI (<see cref="MlflowEndpointRouteBuilderExtensions.MapMlflowUi"/>) is served at <c>/</c>. The default value is true.</summary>
    public bool ServeUi { get; set; } = true;

    /// <summary>Adds middleware in front of every endpoint (logging, authentication, or fault injection in tests). The default value is null.</summary>
    public Action<IApplicationBuilder>? ConfigurePipeline { get; set; }
}
