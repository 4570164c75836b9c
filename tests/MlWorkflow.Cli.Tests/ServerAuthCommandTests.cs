using System.Diagnostics;
using System.Net.Http.Headers;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw server --auth</c> as a process: the first admin from the environment, 401 without credentials, and a clear refusal without an admin.</summary>
[TestFixture]
public sealed class ServerAuthCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task Without_an_admin_the_server_refuses_to_start_saying_which_variables_to_set()
    {
        var environment = new Dictionary<string, string?> { ["MLW_ADMIN_USERNAME"] = null, ["MLW_ADMIN_PASSWORD"] = null };

        var result = await Mlw.RunAsync(_directory.Path, environment, "server", "--backend-store-uri", _directory.Combine("mlruns"), "--port", "0", "--auth");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("has no admin").And.Contain("MLW_ADMIN_USERNAME").And.Contain("MLW_ADMIN_PASSWORD"));
    }

    [Test]
    public async Task With_the_admin_in_the_environment_the_server_asks_for_credentials_and_lets_the_admin_in()
    {
        var environment = new Dictionary<string, string?> { ["MLW_ADMIN_USERNAME"] = "root", ["MLW_ADMIN_PASSWORD"] = "root-password" };
        using var process = Process.Start(Mlw.StartInfo(_directory.Path, environment, "server", "--backend-store-uri", _directory.Combine("mlruns"), "--port", "0", "--auth", "--default-permission", "NO_PERMISSIONS", "--log-level", "warning"))!;
        try
        {
            string? line;
            string? uri = null;
            var lines = new List<string>();
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                lines.Add(line);
                const string Prefix = "MLFLOW_TRACKING_URI=";
                if (line.Contains(Prefix, StringComparison.Ordinal))
                {
                    uri = line[(line.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length)..].Trim();
                    break;
                }
            }

            using var anonymous = new HttpClient { BaseAddress = new Uri(uri!) };
            using var admin = new HttpClient { BaseAddress = new Uri(uri!) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("root:root-password"u8.ToArray()));
            using var refused = await anonymous.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1");
            using var admitted = await admin.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1");

            Assert.That(lines, Has.Some.Contains("MLFLOW_TRACKING_USERNAME"));
            Assert.That((int)refused.StatusCode, Is.EqualTo(401));
            Assert.That((int)admitted.StatusCode, Is.EqualTo(200));
            Assert.That(File.Exists(_directory.Combine("basic_auth.db")), Is.True);
            await Mlw.InterruptAsync(process);
        }
        finally
        {
            await Mlw.StopAsync(process);
        }
    }

    [Test]
    public async Task A_default_permission_that_does_not_exist_is_a_usage_error()
    {
        var result = await Mlw.RunAsync(_directory.Path, null, "server", "--auth", "--default-permission", "WRITE");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--default-permission must be READ, EDIT, MANAGE or NO_PERMISSIONS."));
    }
}
