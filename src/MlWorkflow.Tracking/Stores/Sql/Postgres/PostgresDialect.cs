using System.Data.Common;

namespace MlWorkflow.Tracking.Stores.Sql.Postgres;

/// <summary>PostgreSQL through Npgsql: <c>postgresql://user:password@host:port/database?sslmode=require</c>.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override string Scheme => "postgresql";

    public override string DriverAssembly => "Npgsql";

    public override string DriverFactoryType => "Npgsql.NpgsqlFactory";

    public override string DriverPackage => "Npgsql";

    public override string SchemaResource => "MlWorkflow.Tracking.Stores.Sql.Postgres.schema.sql";

    public override string True => "true";

    public override string False => "false";

    public override string ListTablesSql => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

    public override string ListColumnsSql => "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()";

    public override string OrdinalCollation => " COLLATE \"C\"";

    public override string HistoryOrder => "\"timestamp\", step, value";

    // A transaction-scoped advisory lock, released at commit or rollback; the number is this store's own.
    // Npgsql sends string[], double[], long[] and bool[] as text[], float8[], int8[] and bool[] in binary.
    public override bool ArrayParameters => true;

    public override string? InitializationLockSql => "SELECT pg_advisory_xact_lock(1768700217)";

    public override string? AfterExplicitExperimentIdsSql => "SELECT setval('experiments_experiment_id_seq', GREATEST((SELECT MAX(experiment_id) FROM experiments), 1))";

    // experiments.experiment_id is an integer (32 bits) in MLflow's PostgreSQL schema.
    public override long MaxExperimentId => int.MaxValue;

    public override string ConnectionString(DbProviderFactory factory, Uri uri, string original)
    {
        if (uri.Host.Length == 0)
        {
            throw MlflowException.InvalidParameter("PostgreSQL URI must name a host: postgresql://user:password@host:port/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw MlflowException.InvalidParameter("PostgreSQL URI must name a database: postgresql://user:password@host:port/database.");
        }

        var builder = factory.CreateConnectionStringBuilder() ?? new DbConnectionStringBuilder();
        builder["Host"] = uri.Host;
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder["Port"] = uri.Port;
        }

        builder["Database"] = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder["Username"] = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder["Password"] = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        // Statements the store runs again and again (a log-batch's inserts) are prepared once per connection: the server
        // parses and plans them once. A URI option of the same name overrides it.
        builder["Max Auto Prepare"] = 32;

        // Query options as libpq names them (sslmode=require): Npgsql reads most of them under the same name.
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                var key = Uri.UnescapeDataString(pair[..equals]);
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return builder.ConnectionString;
    }

    public override string ILike(string column, string parameter) => $"{column} ILIKE {parameter}";

    // 23505 unique_violation.
    public override bool IsUniqueViolation(DbException error) => error.SqlState == "23505";

    // 40001 serialization_failure, 40P01 deadlock_detected.
    public override bool IsTransient(DbException error) => error.SqlState is "40001" or "40P01";
}
