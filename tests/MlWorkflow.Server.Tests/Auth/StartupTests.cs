using Microsoft.Data.Sqlite;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Where users are kept, the first admin, and what a server with auth refuses to start with.</summary>
[TestFixture]
public sealed class StartupTests
{
    [Test]
    public async Task A_server_with_auth_and_no_admin_refuses_to_start_saying_what_to_set()
    {
        using var directory = new TemporaryDirectory();
        using var store = new FileTrackingStore(directory.Combine("mlruns"));
        var options = new TrackingServerOptions { Store = store, Port = 0, Auth = new MlflowAuthOptions { PasswordHashIterations = 1000 } };
        Assume.That(Environment.GetEnvironmentVariable(MlflowAuthOptions.AdminUsernameVariable), Is.Null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await TrackingServer.StartAsync(options));

        Assert.That(error!.Message, Does.Contain("has no admin").And.Contain("MLW_ADMIN_USERNAME").And.Contain("MLW_ADMIN_PASSWORD"));
    }

    [Test]
    public async Task Users_of_a_file_store_server_are_kept_in_basic_auth_db_beside_it_with_mlflow_s_tables_and_hash_format()
    {
        using var directory = new TemporaryDirectory();
        using var store = new FileTrackingStore(directory.Combine("mlruns"));
        var options = new TrackingServerOptions { Store = store, Port = 0, Auth = new MlflowAuthOptions { AdminUsername = "root", AdminPassword = "root-pw" } };

        await using (var server = await TrackingServer.StartAsync(options))
        {
        }

        // Restarting with the admin existing and no admin settings works: the database keeps it.
        var again = new TrackingServerOptions { Store = store, Port = 0, Auth = new MlflowAuthOptions() };
        await using (var server = await TrackingServer.StartAsync(again))
        {
        }

        var path = directory.Combine("basic_auth.db");
        Assert.That(File.Exists(path), Is.True);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        await using var row = new SqliteCommand("SELECT password_hash, is_admin FROM users WHERE username = 'root'", connection);
        await using var user = await row.ExecuteReaderAsync();
        Assert.That(await user.ReadAsync(), Is.True);
        var hash = user.GetString(0);
        Assert.That(tables, Is.EqualTo(new[] { "alembic_version", "experiment_permissions", "registered_model_permissions", "users" }));
        Assert.That(hash, Does.Match(@"^pbkdf2:sha256:600000\$[A-Za-z0-9]{16}\$[0-9a-f]{64}$"), "Werkzeug's format, which MLflow's auth app verifies");
        Assert.That(hash, Does.Not.Contain("root-pw"));
        Assert.That(user.GetInt64(1), Is.EqualTo(1));
        Assert.That(PasswordHasher.Verify("root-pw", hash), Is.True);
        Assert.That(PasswordHasher.Verify("root-pW", hash), Is.False);
    }

    [TestCase(false, TestName = "A_sql_backend_keeps_users_in_its_own_database_and_stays_openable_as_mlflow_s_schema")]
    [TestCase(true, TestName = "A_sql_backend_named_again_as_the_auth_database_keeps_users_beside_mlflow_s_schema")]
    public async Task A_sql_backend_keeps_users_in_its_own_database_and_stays_openable_as_mlflow_s_schema(bool namedAgain)
    {
        using var directory = new TemporaryDirectory();
        var uri = "sqlite:///" + directory.Combine("mlflow.db");
        var options = new TrackingServerOptions
        {
            BackendStoreUri = uri,
            ArtifactsDestination = directory.Combine("artifacts"),
            Port = 0,
            Auth = new MlflowAuthOptions { AdminUsername = "root", AdminPassword = "root-pw", PasswordHashIterations = 1000, DatabaseUri = namedAgain ? uri : null },
        };
        await using (var server = await TrackingServer.StartAsync(options))
        {
            using var http = new HttpClient { BaseAddress = server.Uri };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("root:root-pw"u8.ToArray()));
            using var content = new StringContent("""{"name":"e"}""", System.Text.Encoding.UTF8, "application/json");
            using var created = await http.PostAsync("/api/2.0/mlflow/experiments/create", content);
            Assert.That((int)created.StatusCode, Is.EqualTo(200), await created.Content.ReadAsStringAsync());
        }

        // The tracking store reopens the database with the auth tables in it.
        var store = new MlWorkflow.Tracking.Stores.Sql.SqlTrackingStore(uri);
        var experiment = await store.GetExperimentByNameAsync("e");
        await using var connection = new SqliteConnection($"Data Source={directory.Combine("mlflow.db")}");
        await connection.OpenAsync();
        await using var records = new SqliteCommand("SELECT p.experiment_id, p.permission, u.username FROM experiment_permissions p JOIN users u ON u.id = p.user_id", connection);
        await using var reader = await records.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);
        Assert.That((reader.GetString(0), reader.GetString(1), reader.GetString(2)), Is.EqualTo((experiment!.ExperimentId, "MANAGE", "root")), "the creator, an admin too, manages what they created");
        await using var revision = new SqliteCommand("SELECT version_num FROM alembic_version", connection);
        Assert.That(await revision.ExecuteScalarAsync(), Is.EqualTo("f5a4f2784254"), "the tracking schema's revision is untouched");
    }
}
