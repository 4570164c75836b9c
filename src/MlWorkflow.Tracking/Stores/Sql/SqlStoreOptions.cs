using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>Settings of <see cref="SqlTrackingStore"/> and <see cref="SqlModelRegistryStore"/>.</summary>
public sealed class SqlStoreOptions
{
    /// <summary>
    /// Where experiments created without an artifact location keep their artifacts: <c>&lt;root&gt;/&lt;experiment id&gt;</c>.
    /// A local path is made absolute; a URI (<c>file:</c>, <c>mlflow-artifacts:</c>, <c>s3:</c>) is kept. The default value is null,
    /// for <c>./mlruns</c> made absolute, as MLflow's client does for a database URI.
    /// </summary>
    public string? DefaultArtifactRoot { get; set; }

    /// <summary>The clock for creation, update and deletion times. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The ADO.NET driver to use. The default value is null, for the driver the URI's scheme names, found by assembly name when the
    /// application references it: <c>Microsoft.Data.Sqlite</c> for <c>sqlite:</c>, <c>Npgsql</c> for <c>postgresql:</c>.
    /// </summary>
    public DbProviderFactory? ProviderFactory { get; set; }

    /// <summary>Where the store logs schema creation, busy retries and failures. The default value is null (no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
