using System.Globalization;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server;

// mlw server [--backend-store-uri ./mlruns] [--host 127.0.0.1] [--port 5000] [--no-serve-artifacts] [--certificate <pfx|pem> [--certificate-key <pem>]]
//            [--allowed-hosts name,name,...] [--log-level information]
// HTTPS: --certificate names a PKCS#12 file, or a PEM certificate with --certificate-key; the password, if any, comes from MLW_CERTIFICATE_PASSWORD.
const string Usage = "Usage: mlw server [--backend-store-uri ./mlruns] [--host 127.0.0.1] [--port 5000] [--no-serve-artifacts] [--certificate <pfx|pem> [--certificate-key <pem>]] (certificate password in MLW_CERTIFICATE_PASSWORD) [--allowed-hosts name,*.domain,...] [--log-level trace|debug|information|warning|error|none]";
if (args.Length == 0 || args[0] != "server")
{
    Console.Error.WriteLine(Usage);
    return args.Length == 0 ? 0 : 2;
}

var options = new TrackingServerOptions();
var logLevel = LogLevel.Information;
for (var i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--backend-store-uri":
                options.BackendStoreUri = Value();
                break;
            case "--host":
                options.Host = Value();
                break;
            case "--port" or "-p":
                options.Port = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                break;
            case "--certificate":
                options.CertificatePath = Value();
                options.CertificatePassword = Environment.GetEnvironmentVariable("MLW_CERTIFICATE_PASSWORD") is { Length: > 0 } password ? password : null;
                break;
            case "--certificate-key":
                options.CertificateKeyPath = Value();
                break;
            case "--allowed-hosts":
                options.AllowedHosts = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                break;
            case "--log-level":
                logLevel = Enum.TryParse<LogLevel>(Value(), ignoreCase: true, out var level) && Enum.IsDefined(level)
                    ? level
                    : throw new ArgumentException($"--log-level must be one of {string.Join(", ", Enum.GetNames<LogLevel>()).ToLowerInvariant()}.");
                break;
            case "--no-serve-artifacts":
                options.ServeArtifacts = false;
                break;
            default:
                throw new ArgumentException($"Unknown option '{args[i]}'.");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

// One line per request at Information level (ASP.NET Core's request log), warnings and failures at any level but none.
using var loggers = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(logLevel)
    .AddFilter("Microsoft", (LogLevel)Math.Max((int)logLevel, (int)LogLevel.Warning))
    .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", logLevel)
    .AddFilter("Microsoft.Hosting.Lifetime", logLevel));
options.LoggerFactory = loggers;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
TrackingServer server;
try
{
    server = await TrackingServer.StartAsync(options, stop.Token);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using var running = server;
Console.WriteLine($"MLflow-compatible tracking server on {server.Uri} (store: {options.BackendStoreUri}); Ctrl+C stops it.");
Console.WriteLine($"Point clients at it: MLFLOW_TRACKING_URI={server.Uri.ToString().TrimEnd('/')}");
await server.WaitForShutdownAsync(stop.Token);
return 0;
