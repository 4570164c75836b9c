using Microsoft.Extensions.Logging;

namespace MlWorkflow.Serving;

/// <summary>Settings of <see cref="ModelServer"/>: the model (<see cref="MlflowModelOptions"/>) and the host.</summary>
public sealed class ModelServerOptions : MlflowModelOptions
{
    private int _port = 5001;

    /// <summary>The address to listen on; <c>localhost</c> means the loopback interface. The default value is <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port, 0 for a free one. The default value is 5001 (MLflow's scoring server uses 5000, the tracking server's port).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 65535.</exception>
    public int Port
    {
        get => _port;
        set => _port = value is >= 0 and <= 65535 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Port must be between 0 and 65535.");
    }

    /// <summary>
    /// A token every request but <c>/ping</c> and <c>/health</c> must send as <c>Authorization: Bearer &lt;token&gt;</c>;
    /// others get a 401. The default value is null: no check (and a warning when listening beyond loopback).
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Where the server logs (category <c>MlWorkflow.Serving</c>: the model loaded, refused and failed requests; ASP.NET
    /// Core's request logs). The caller keeps ownership. The default value is null: the console, at Warning level and above.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
