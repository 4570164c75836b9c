using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Diagnostics;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Observability;

/// <summary>A proxy that reflects request headers in its error bodies never gets credentials into messages or logs (issue 10.10).</summary>
[NonParallelizable]
public sealed class RedactionOverRestTests
{
    private const string Token = "tok-9f8e7d6c5b4a";
    private const string Password = "hunter2-secret";
    private const string RunId = "0123456789abcdef0123456789abcdef";

    /// <summary>
    /// Answers <paramref name="status"/> with every request header echoed, as a misconfigured proxy does; lets <c>runs/update</c>
    /// through (answering as MLflow would) so that runs can still end.
    /// </summary>
    private static Task<LoopbackApp> ReflectingProxyAsync(int status, bool json) => LoopbackApp.StartAsync(async context =>
    {
        if (context.Request.Path.Value!.EndsWith("runs/update", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"run_info\": {\"run_id\": \"" + RunId + "\", \"experiment_id\": \"0\", \"status\": \"FAILED\", \"start_time\": 1700000000000, \"end_time\": 1700000000001, \"artifact_uri\": \"mlflow-artifacts:/0/" + RunId + "/artifacts\", \"lifecycle_stage\": \"active\"}}");
            return;
        }

        var headers = string.Join("\n", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
        context.Response.StatusCode = status;
        context.Response.ContentType = json ? "application/json" : "text/plain";
        var body = json
            ? "{\"error_code\": \"PERMISSION_DENIED\", \"message\": " + System.Text.Json.JsonSerializer.Serialize("denied; request was:\n" + headers) + "}"
            : "proxy error; request was:\n" + headers;
        await context.Response.WriteAsync(body, Encoding.UTF8);
    });

    [TestCase(403, true)]
    [TestCase(502, false)]
    public async Task Bearer_tokens_never_reach_the_exception_nor_the_logs(int status, bool json)
    {
        await using var proxy = await ReflectingProxyAsync(status, json);
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var options = FastRetries.Options(maxRetries: 1);
        options.Token = Token;
        options.LoggerFactory = loggerFactory;
        using var store = new RestTrackingStore(proxy.Uri, options);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(error!.Message, Does.Contain("Authorization: ***").And.Contain("request was"), "the reflected header is there, masked");
        Assert.That(error.ToString(), Does.Not.Contain(Token));
        Assert.That(logs.Lines.Select(l => l.Message + l.Exception), Has.None.Contain(Token));
    }

    [Test]
    public async Task Basic_credentials_never_reach_the_exception()
    {
        await using var proxy = await ReflectingProxyAsync(400, json: false);
        var options = FastRetries.Options(maxRetries: 0);
        options.Username = "bob";
        options.Password = Password;
        using var store = new RestTrackingStore(proxy.Uri, options);

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:" + Password));
        Assert.That(error!.ToString(), Does.Not.Contain(basic).And.Not.Contain(Password));
    }

    [Test]
    public async Task Flush_errors_and_writer_logs_of_an_active_run_carry_no_token()
    {
        await using var proxy = await ReflectingProxyAsync(403, json: true);
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var rest = FastRetries.Options(maxRetries: 0);
        rest.Token = Token;
        using var store = new RestTrackingStore(proxy.Uri, rest);
        await using var client = new MlflowClient(store, new MlflowClientOptions { LoggerFactory = loggerFactory });
        var run = new ActiveRun(client, new RunInfo(RunId, "0", "reflected", "bob", RunStatus.Running, 1_700_000_000_000, null, "mlflow-artifacts:/0", LifecycleStage.Active));
        run.LogMetric("loss", 0.5);

        var error = await Assert.ThrowsAsync<MlflowException>(() => run.FlushAsync());
        await run.EndAsync();

        Assert.That(error!.Message, Does.Contain("could not be written").And.Not.Contain(Token));
        Assert.That(error.ToString(), Does.Not.Contain(Token));
        var writerLine = logs.Lines.Single(l => l.Category == MlflowDiagnostics.WriterLogCategory);
        Assert.That(writerLine.Level, Is.EqualTo(LogLevel.Error));
        Assert.That(writerLine.Message, Does.Contain("1 queued values not written").And.Not.Contain(Token));
    }
}
