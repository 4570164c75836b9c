using Npgsql;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>
/// The schema the store creates in an empty PostgreSQL database equals the one MLflow 2.17.2 left (its pg_dump,
/// TestData/mlflow-sqlite/postgres-schema.sql, loaded into another database): columns, types, defaults, constraints, indexes,
/// sequences and alembic_version; another revision is refused.
/// </summary>
[TestFixture]
public sealed class PostgresSchemaTests
{
    [Test]
    public async Task An_empty_database_gets_the_schema_mlflows_pg_dump_describes()
    {
        var ours = PostgresServer.Instance.CreateDatabase();
        await new SqlTrackingStore(ours).GetExperimentAsync("0");
        var mlflows = PostgresServer.Instance.CreateDatabase();
        var dump = await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-sqlite", "postgres-schema.sql"));
        Execute(mlflows, string.Join('\n', dump.Split('\n').Where(line => !line.StartsWith('\\')))); // psql's \restrict lines are not SQL

        var expected = Describe(mlflows);
        var actual = Describe(ours);

        Assert.That(expected, Has.Count.GreaterThan(100));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(Scalar(ours, "SELECT version_num FROM alembic_version"), Is.EqualTo("f5a4f2784254"));
    }

    [Test]
    public async Task A_database_at_another_revision_is_refused_naming_both()
    {
        var uri = PostgresServer.Instance.CreateDatabase();
        await new SqlTrackingStore(uri).GetExperimentAsync("0");
        Execute(uri, "UPDATE alembic_version SET version_num = 'deadbeef0000'");

        var error = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(uri).GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Contain("revision 'deadbeef0000'").And.Contain("'f5a4f2784254'"));
        Assert.That(Scalar(uri, "SELECT version_num FROM alembic_version"), Is.EqualTo("deadbeef0000"));
    }

    [Test]
    public async Task A_database_that_lost_a_table_or_a_column_of_mlflows_is_refused_naming_it()
    {
        var table = PostgresServer.Instance.CreateDatabase();
        var column = PostgresServer.Instance.CreateDatabase();
        await new SqlTrackingStore(table).GetExperimentAsync("0");
        await new SqlTrackingStore(column).GetExperimentAsync("0");
        Execute(table, "DROP TABLE trace_request_metadata");
        Execute(column, "ALTER TABLE runs DROP COLUMN deleted_time");

        var tableError = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(table).GetExperimentAsync("0"));
        var columnError = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(column).GetExperimentAsync("0"));

        Assert.That((tableError!.ErrorCode, columnError!.ErrorCode), Is.EqualTo((ErrorCode.InternalError, ErrorCode.InternalError)));
        Assert.That(tableError.Message, Does.Contain("lacks MLflow's tables trace_request_metadata."));
        Assert.That(columnError.Message, Does.Contain("lacks MLflow's columns runs.deleted_time."));
    }

    /// <summary>One line per column, constraint, index and sequence of the public schema, as the catalog reports them.</summary>
    private static List<string> Describe(string uri)
    {
        const string Sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable || ' default=' || coalesce(column_default, '-')
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT 'sequence ' || sequencename || ' ' || data_type || ' ' || start_value || ' ' || increment_by FROM pg_sequences WHERE schemaname = 'public'
            UNION ALL
            SELECT 'owned ' || d.objid::regclass || ' by ' || d.refobjid::regclass FROM pg_depend d JOIN pg_class c ON c.oid = d.objid WHERE c.relkind = 'S' AND d.deptype = 'a'
            ORDER BY 1
            """;
        using var connection = Open(uri);
        using var command = new NpgsqlCommand(Sql, connection);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static NpgsqlConnection Open(string uri)
    {
        var database = uri[(uri.LastIndexOf('/') + 1)..];
        var connection = new NpgsqlConnection(PostgresServer.Instance.ConnectionString(database));
        connection.Open();
        return connection;
    }

    private static void Execute(string uri, string sql)
    {
        using var connection = Open(uri);
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string uri, string sql)
    {
        using var connection = Open(uri);
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
