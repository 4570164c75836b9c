using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using MlWorkflow.Cli.Tests;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>Two <c>mlw server --auth</c> processes over one PostgreSQL database: they share users and permissions, as the deployment notes say.</summary>
[TestFixture]
public sealed class TwoAuthServersOnePostgresTests
{
    [Test]
    public async Task A_user_and_a_permission_made_on_one_server_apply_on_the_other()
    {
        using var directory = new TemporaryDirectory();
        var database = PostgresServer.Instance.CreateDatabase();
        var environment = new Dictionary<string, string?> { ["MLW_ADMIN_USERNAME"] = "root", ["MLW_ADMIN_PASSWORD"] = "root-password" };
        var servers = new List<Process>();
        try
        {
            var uris = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var process = Process.Start(Mlw.StartInfo(directory.Path, environment, "server", "--backend-store-uri", database, "--artifacts-destination", directory.Combine("artifacts"), "--port", "0", "--auth", "--default-permission", "NO_PERMISSIONS", "--log-level", "warning"))!;
                servers.Add(process);
                uris.Add(await SqlStoreCommandTests.ReadServerUriAsync(process));
            }

            using var adminOnA = Client(uris[0], "root", "root-password");
            using var aliceOnB = Client(uris[1], "alice", "alice-pw");
            var created = await SendAsync(adminOnA, HttpMethod.Post, "/api/2.0/mlflow/users/create", """{"username":"alice","password":"alice-pw"}""");
            var experiment = await SendAsync(adminOnA, HttpMethod.Post, "/api/2.0/mlflow/experiments/create", """{"name":"shared"}""");
            var id = System.Text.Json.JsonDocument.Parse(experiment.Body).RootElement.GetProperty("experiment_id").GetString()!;
            var before = await SendAsync(aliceOnB, HttpMethod.Get, $"/api/2.0/mlflow/experiments/get?experiment_id={id}", null);
            await SendAsync(adminOnA, HttpMethod.Post, "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id":"{{id}}","username":"alice","permission":"READ"}""");
            var after = await SendAsync(aliceOnB, HttpMethod.Get, $"/api/2.0/mlflow/experiments/get?experiment_id={id}", null);

            Assert.That(created.Status, Is.EqualTo(200), created.Body);
            Assert.That(before.Status, Is.EqualTo(403), "alice logs in on the other server, which knows she may not read it yet");
            Assert.That(after.Status, Is.EqualTo(200), after.Body);
        }
        finally
        {
            foreach (var process in servers)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }

                process.Dispose();
            }
        }
    }

    private static HttpClient Client(string uri, string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(uri) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return client;
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
