using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>
/// The schema the store creates in an empty SQLite database is MLflow 2.17.2's, compared with a database MLflow wrote itself
/// (TestData/mlflow-sqlite): tables, columns, types, keys, indexes, foreign keys, alembic_version; another revision is refused.
/// </summary>
[TestFixture]
public sealed class SqliteSchemaTests
{
    private static readonly string MlflowDatabase = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-sqlite", "mlflow.db");
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task An_empty_database_gets_the_tables_columns_keys_and_indexes_mlflow_2_17_leaves()
    {
        var path = _directory.Combine("ours.db");
        await new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0");

        var ours = Describe(path);
        var mlflows = Describe(MlflowDatabase);

        Assert.That(ours.Keys, Is.EquivalentTo(mlflows.Keys));
        Assert.That(ours.Keys, Has.Count.EqualTo(19));
        foreach (var table in mlflows.Keys)
        {
            Assert.That(ours[table], Is.EqualTo(mlflows[table]), table);
        }
    }

    [Test]
    public async Task The_created_database_records_alembic_revision_f5a4f2784254_and_the_default_experiment()
    {
        var path = _directory.Combine("ours.db");
        var store = new SqlTrackingStore(SqliteUri.For(path));

        var experiment = await store.GetExperimentAsync("0");

        Assert.That(Scalar(path, "SELECT version_num FROM alembic_version"), Is.EqualTo("f5a4f2784254").And.EqualTo(SqlTrackingStore.SchemaRevision));
        Assert.That(experiment.Name, Is.EqualTo("Default"));
    }

    [Test]
    public async Task A_database_at_another_revision_is_refused_naming_both_and_left_unchanged()
    {
        var path = _directory.Combine("old.db");
        File.Copy(MlflowDatabase, path);
        Execute(path, "UPDATE alembic_version SET version_num = '867495a8f9d4'");
        var before = await File.ReadAllBytesAsync(path);

        var error = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Contain("revision '867495a8f9d4'").And.Contain("'f5a4f2784254'").And.Contain("mlflow db upgrade"));
        SqliteConnection.ClearAllPools();
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(before));
    }

    [Test]
    public async Task A_database_with_other_tables_and_no_alembic_version_is_refused()
    {
        var path = _directory.Combine("other.db");
        Execute(path, "CREATE TABLE users (id INTEGER PRIMARY KEY)");

        var error = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Contain("revision '(none)'").And.Contain("f5a4f2784254"));
        Assert.That(Scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"), Is.EqualTo(1L), "no MLflow table was added beside the user's");
    }

    [Test]
    public async Task A_database_in_use_that_lost_one_of_mlflows_tables_is_refused_naming_it()
    {
        // The quick one-statement check of a database in use must fall through to the full check that names what is wrong.
        var path = _directory.Combine("lost.db");
        var store = new SqlTrackingStore(SqliteUri.For(path));
        await store.GetExperimentAsync("0");
        SqliteConnection.ClearAllPools();
        Execute(path, "DROP TABLE trace_request_metadata");

        var error = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Contain("lacks MLflow's tables trace_request_metadata.").And.Contain("f5a4f2784254"));
    }

    [TestCase("runs", "deleted_time")]
    [TestCase("experiments", "last_update_time")]
    [TestCase("datasets", "dataset_profile")]
    public async Task A_database_in_use_that_lost_a_column_of_mlflows_is_refused_on_open_naming_it(string table, string column)
    {
        // A table count alone lets this through: the store would then fail later, on some call, with "no such column" as a bad request.
        var path = _directory.Combine("column.db");
        await new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0");
        SqliteConnection.ClearAllPools();
        Execute(path, $"ALTER TABLE {table} DROP COLUMN {column}");

        var error = await Assert.CatchAsync<MlflowException>(() => new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InternalError));
        Assert.That(error.Message, Does.Contain($"lacks MLflow's columns {table}.{column}.").And.Contain("f5a4f2784254"));
        Assert.That(Scalar(path, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"), Is.EqualTo(0L), "the database was not changed");
    }

    [Test]
    public async Task A_database_mlflow_2_17_2_wrote_opens_and_reopens_in_a_new_store_through_the_quick_check()
    {
        var path = _directory.Combine("mlflow.db");
        File.Copy(MlflowDatabase, path);

        var first = await new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("1");
        SqliteConnection.ClearAllPools();
        var again = await new SqlTrackingStore(SqliteUri.For(path)).GetExperimentAsync("1");

        Assert.That((first.Name, again.Name), Is.EqualTo(("sales-forecast-a", "sales-forecast-a")));
        Assert.That(Scalar(path, "PRAGMA journal_mode"), Is.EqualTo("wal"), "the second open was a database in use, checked by the quick check");
        Assert.That(Scalar(path, "SELECT version_num FROM alembic_version"), Is.EqualTo("f5a4f2784254"));
    }

    [Test]
    public async Task A_database_in_use_reopens_in_a_new_store_with_its_experiments()
    {
        var path = _directory.Combine("used.db");
        var created = await new SqlTrackingStore(SqliteUri.For(path)).CreateExperimentAsync("kept");
        SqliteConnection.ClearAllPools();

        var again = new SqlTrackingStore(SqliteUri.For(path));

        Assert.That((await again.GetExperimentByNameAsync("kept"))?.ExperimentId, Is.EqualTo(created));
        Assert.That(Scalar(path, "PRAGMA journal_mode"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task A_database_path_with_semicolons_quotes_and_equals_signs_opens_that_file()
    {
        var folder = _directory.Combine("a;b='c\"d");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "x=1;.db");

        await new SqlTrackingStore(SqliteUri.For(path)).CreateExperimentAsync("quoted");

        Assert.That(File.Exists(path), Is.True);
        Assert.That(Scalar(path, "SELECT name FROM experiments WHERE name = 'quoted'"), Is.EqualTo("quoted"));
    }

    [Test]
    public async Task The_stores_connections_have_mlflows_session_settings_and_read_through_a_memory_map()
    {
        var path = _directory.Combine("session.db");
        var database = new SqlDatabase(SqliteUri.For(path), null, null);

        await using var connection = await database.OpenAsync(CancellationToken.None);

        Assert.That(Pragma(connection, "foreign_keys"), Is.EqualTo(1L));
        Assert.That(Pragma(connection, "busy_timeout"), Is.EqualTo(20000L));
        Assert.That(Pragma(connection, "mmap_size"), Is.EqualTo(256L * 1024 * 1024));
    }

    private static object? Pragma(System.Data.Common.DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return command.ExecuteScalar();
    }

    /// <summary>Every table's columns (name, type, not null, default, key position), foreign keys and indexes, as SQLite reports them.</summary>
    private static Dictionary<string, string> Describe(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = Rows(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => r[0]).ToList();
        return tables.ToDictionary(t => t, t => string.Join(
            "\n",
            Rows(connection, $"SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{t}')").Select(r => "column " + string.Join("|", r))
                .Concat(Rows(connection, $"SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{t}') ORDER BY \"from\"").Select(r => "fk " + string.Join("|", r)).Order(StringComparer.Ordinal))
                .Concat(Rows(connection, $"SELECT name, \"unique\", origin FROM pragma_index_list('{t}')").Select(r => "index " + (r[0].StartsWith("sqlite_autoindex", StringComparison.Ordinal) ? "auto" : r[0]) + "|" + r[1] + "|" + r[2] + "|" + string.Join(",", Rows(connection, $"SELECT name FROM pragma_index_info('{r[0]}') ORDER BY seqno").Select(c => c[0]))).Order(StringComparer.Ordinal))
                .Concat(Rows(connection, $"SELECT sql FROM sqlite_master WHERE tbl_name = '{t}' AND type = 'table'").Select(r => "checks " + string.Join(",", System.Text.RegularExpressions.Regex.Matches(r[0], @"CHECK \([^\n]*\)").Select(m => m.Value))))));
    }

    private static List<string[]> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
