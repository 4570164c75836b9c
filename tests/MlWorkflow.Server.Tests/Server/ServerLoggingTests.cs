using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Tests.Faults;
using MlWorkflow.Tracking.Stores.File;


namespace MlWorkflow.Server.Tests.Server;

/// <summary>The server logs through the <see cref="ILoggerFactory"/> it is given: requests, and failures with their details (which clients never see).</summary>
[TestFixture]
public sealed class ServerLoggingTests
{
    [Test]
    public async Task Requests_and_server_faults_are_logged_while_the_client_sees_no_detail()
    {
        using var directory = new TemporaryDirectory();
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var store = new FailingSearchStore(new FileTrackingStore(directory.Combine("mlruns")));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = store, Port = 0, LoggerFactory = loggers });
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var response = await http.PostAsync("/api/2.0/mlflow/runs/search", new StringContent("{\"experiment_ids\": [\"0\"]}", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(500));
        Assert.That(text, Does.Contain("INTERNAL_ERROR").And.Not.Contain(FailingSearchStore.Secret).And.Not.Contain("InvalidOperationException"));
        Assert.That(logs.Lines.Any(l => l.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && l.Message.Contains("/api/2.0/mlflow/runs/search", StringComparison.Ordinal)), Is.True, "the request is logged");
        Assert.That(logs.Lines.Any(l => l.Category == "MlWorkflow.Server" && l.Level == LogLevel.Error && l.Message.Contains("runs/search", StringComparison.Ordinal)), Is.True, "the failure is logged as an error");
    }
}
