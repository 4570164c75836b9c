using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Serving.Tests;

/// <summary>A server of <c>models:/Name/Production</c> or <c>@alias</c> follows the registry: swaps under load, rollbacks (issue 13 point 4).</summary>
public sealed class RegistryFollowingTests
{
    private const string Row = """{"dataframe_records": [{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}, {"displ": 5.7, "cyl": 8, "trans": "auto", "drv": "4"}]}""";

    [Test]
    public async Task A_stage_move_and_its_rollback_reach_the_server_with_no_request_failing()
    {
        var name = "Followed-" + Guid.NewGuid().ToString("N")[..8];
        var registry = ServedModels.Client.Registry;
        var v1 = await registry.RegisterModelAsync(ServedModels.RegressionRunUri, name);
        var v2 = await registry.RegisterModelAsync(ServedModels.RegressionV2RunUri, name);
        await registry.TransitionStageAsync(name, v1.Version, ModelVersionStage.Production);
        await using var server = await ModelServer.StartAsync(new ModelServerOptions
        {
            ModelUri = $"models:/{name}/Production",
            Client = ServedModels.Client,
            Port = 0,
            RegistryPollInterval = TimeSpan.FromMilliseconds(50),
        });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var first = Http.Numbers(await Http.PredictionsAsync(http, Row));

        // Load all along: every request must succeed whichever version answers it.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (status, body, _) = await Http.JsonAsync(http, Row);
                if (status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{status}: {body}");
                }

                Interlocked.Increment(ref answered);
            }
        })).ToArray();

        await registry.TransitionStageAsync(name, v2.Version, ModelVersionStage.Production, archiveExistingVersions: true);
        await WaitForVersionAsync(http, v2.Version);
        var second = Http.Numbers(await Http.PredictionsAsync(http, Row));

        await registry.TransitionStageAsync(name, v1.Version, ModelVersionStage.Production, archiveExistingVersions: true);
        await WaitForVersionAsync(http, v1.Version);
        var rolledBack = Http.Numbers(await Http.PredictionsAsync(http, Row));

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(first), "version 2 is another model and answers otherwise");
            Assert.That(rolledBack, Is.EqualTo(first), "the rollback serves version 1 again");
            Assert.That(server.ModelVersion, Is.EqualTo(v1.Version));
            Assert.That(answered, Is.GreaterThan(0));
            Assert.That(failures, Is.Empty, "no request fails during the swaps");
        });
    }

    [Test]
    public async Task An_alias_that_moves_is_followed()
    {
        var name = "Aliased-" + Guid.NewGuid().ToString("N")[..8];
        var registry = ServedModels.Client.Registry;
        var v1 = await registry.RegisterModelAsync(ServedModels.RegressionRunUri, name);
        var v2 = await registry.RegisterModelAsync(ServedModels.RegressionV2RunUri, name);
        await registry.SetAliasAsync(name, "live", v1.Version);
        await using var server = await ModelServer.StartAsync(new ModelServerOptions
        {
            ModelUri = $"models:/{name}@live",
            Client = ServedModels.Client,
            Port = 0,
            RegistryPollInterval = TimeSpan.FromMilliseconds(50),
        });
        using var http = new HttpClient { BaseAddress = server.Uri };
        Assert.That(await VersionAsync(http), Is.EqualTo(v1.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await registry.SetAliasAsync(name, "live", v2.Version);
        await WaitForVersionAsync(http, v2.Version);
        Assert.That(server.ModelVersion, Is.EqualTo(v2.Version));
    }

    [Test]
    public async Task A_fixed_version_is_not_followed()
    {
        var name = "Pinned-" + Guid.NewGuid().ToString("N")[..8];
        var registry = ServedModels.Client.Registry;
        var v1 = await registry.RegisterModelAsync(ServedModels.RegressionRunUri, name);
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = $"models:/{name}/1", Client = ServedModels.Client, Port = 0, RegistryPollInterval = TimeSpan.FromMilliseconds(50) });
        await registry.RegisterModelAsync(ServedModels.RegressionV2RunUri, name);
        await registry.TransitionStageAsync(name, 2, ModelVersionStage.Production);

        // Give a follower, were there one, many intervals to act; the fixed version must still answer.
        using var http = new HttpClient { BaseAddress = server.Uri };
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(25);
            Assert.That(await VersionAsync(http), Is.EqualTo("1"));
        }

        Assert.That(server.ModelVersion, Is.EqualTo(v1.Version));
    }

    [Test]
    public void A_negative_interval_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ModelServerOptions { RegistryPollInterval = TimeSpan.FromSeconds(-1) });

    private static async Task<string?> VersionAsync(HttpClient http)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("version", UriKind.Relative)));
        return json.RootElement.GetProperty("model_version").GetString();
    }

    /// <summary>Waits (up to a generous bound, so a broken follower fails rather than hangs) until /version names the version.</summary>
    private static async Task WaitForVersionAsync(HttpClient http, int version)
    {
        var expected = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 600; i++)
        {
            if (await VersionAsync(http) == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"/version never named version {expected}.");
    }
}
