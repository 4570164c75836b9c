using MlWorkflow.Server;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw users</c> against a server with auth on 127.0.0.1: users and permission records through MLflow's endpoints, passwords on standard input.</summary>
[TestFixture]
public sealed class UsersCommandTests
{
    private TemporaryDirectory _directory = null!;
    private FileTrackingStore _store = null!;
    private TrackingServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = new TemporaryDirectory();
        _store = new FileTrackingStore(_directory.Combine("mlruns"));
        _server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            Store = _store,
            Port = 0,
            Auth = new MlflowAuthOptions { AdminUsername = "root", AdminPassword = "root-pw", PasswordHashIterations = 1000, DefaultPermission = MlflowPermissionLevel.NoPermissions },
        });
    }

    [TearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task An_admin_creates_a_user_grants_then_changes_a_permission_and_deletes_the_user()
    {
        var created = await Mlw.RunWithInputAsync(_directory.Path, As("root", "root-pw"), "alice-pw\n", "users", "create", "-u", "alice");
        var granted = await Mlw.RunAsync(_directory.Path, As("root", "root-pw"), "users", "grant", "-u", "alice", "-x", "0", "-p", "READ");
        var changed = await Mlw.RunAsync(_directory.Path, As("root", "root-pw"), "users", "grant", "-u", "alice", "-x", "0", "-p", "EDIT");
        var shown = await Mlw.RunAsync(_directory.Path, As("alice", "alice-pw"), "users", "get", "-u", "alice");
        var deleted = await Mlw.RunAsync(_directory.Path, As("root", "root-pw"), "users", "delete", "-u", "alice");
        var gone = await Mlw.RunAsync(_directory.Path, As("alice", "alice-pw"), "users", "get", "-u", "alice");

        Assert.That(created.ExitCode, Is.EqualTo(0), created.ToString());
        Assert.That(created.Stdout, Does.Contain("\"username\": \"alice\""));
        Assert.That(granted.ExitCode, Is.EqualTo(0), granted.ToString());
        Assert.That(changed.ExitCode, Is.EqualTo(0), "a second grant updates the record");
        Assert.That(shown.Json().GetProperty("user").GetProperty("experiment_permissions")[0].GetProperty("permission").GetString(), Is.EqualTo("EDIT"), shown.ToString());
        Assert.That(deleted.ExitCode, Is.EqualTo(0), deleted.ToString());
        Assert.That(gone.ExitCode, Is.EqualTo(1));
        Assert.That(gone.Stderr, Does.Contain("You are not authenticated"));
    }

    [Test]
    public async Task A_user_who_is_not_an_admin_cannot_create_users_and_a_missing_password_is_a_usage_error()
    {
        await Mlw.RunWithInputAsync(_directory.Path, As("root", "root-pw"), "bob-pw\n", "users", "create", "-u", "bob");

        var refused = await Mlw.RunWithInputAsync(_directory.Path, As("bob", "bob-pw"), "x\n", "users", "create", "-u", "eve");
        var noPassword = await Mlw.RunAsync(_directory.Path, As("root", "root-pw"), "users", "create", "-u", "carol");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("Permission denied"));
        Assert.That(noPassword.ExitCode, Is.EqualTo(2), noPassword.ToString());
        Assert.That(noPassword.Stderr, Does.Contain("standard input"));
    }

    private Dictionary<string, string?> As(string user, string password) => new()
    {
        ["MLFLOW_TRACKING_URI"] = _server.Uri.ToString(),
        ["MLFLOW_TRACKING_USERNAME"] = user,
        ["MLFLOW_TRACKING_PASSWORD"] = password,
    };
}
