using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlWorkflow.Server.Tests.Server;

namespace MlWorkflow.Server.Tests.Ui;

/// <summary>The web UI over HTTP: values escaped, security headers, forms refused without their token or from another origin, chart data sampled, and mounting.</summary>
[TestFixture]
public sealed class UiHttpTests : ServerFixture
{
    private const string Hostile = "<script>alert(1)</script>";

    [Test]
    public async Task A_run_named_like_a_script_is_escaped_on_every_page_and_pages_carry_a_strict_policy()
    {
        var experimentId = await FileStore.CreateExperimentAsync("exp \"quoted\" <b>");
        var run = await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = Hostile, StartTime = 1_700_000_000_000 });
        await FileStore.LogBatchAsync(run.Info.RunId, [new Metric("m", 1, 1, 0)], [new Param("p", "\"><img src=x onerror=alert(1)>")], [new RunTag("t", "<b>bold?</b>"), new RunTag("mlflow.note.content", Hostile)]);

        foreach (var page in new[] { "/", $"/experiments/{experimentId}", $"/runs/{run.Info.RunId}", $"/compare?run={run.Info.RunId}" })
        {
            using var response = await Http.GetAsync(page);
            var html = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), page);
            Assert.That(html, Does.Not.Contain("<script>alert"), page);
            Assert.That(html, Does.Not.Contain("<img src=x"), page);
            Assert.That(html, Does.Not.Contain("<b>"), page);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.That(policy, Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"), page);
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }), page);
        }

        var runPage = await Http.GetStringAsync($"/runs/{run.Info.RunId}");
        Assert.That(runPage, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    [Test]
    public async Task A_form_post_without_the_token_or_from_another_origin_is_refused_and_changes_nothing()
    {
        var (token, cookie) = await TokenAsync();

        using var noToken = await PostFormAsync("/actions/experiment-create", [("name", "csrf-1")], cookie, origin: null);
        using var wrongToken = await PostFormAsync("/actions/experiment-create", [("name", "csrf-2"), ("_token", new string('a', 43))], cookie, origin: null);
        using var otherOrigin = await PostFormAsync("/actions/experiment-create", [("name", "csrf-3"), ("_token", token)], cookie, origin: "http://evil.example");
        using var otherSite = await PostFormAsync("/actions/experiment-create", [("name", "csrf-4"), ("_token", token)], cookie, origin: null, fetchSite: "cross-site");
        using var accepted = await PostFormAsync("/actions/experiment-create", [("name", "csrf-5"), ("_token", token), ("return", "//evil.example/")], cookie, origin: Server.Uri.GetLeftPart(UriPartial.Authority));

        Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(otherOrigin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(otherSite.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        foreach (var name in new[] { "csrf-1", "csrf-2", "csrf-3", "csrf-4" })
        {
            Assert.That(await FileStore.GetExperimentByNameAsync(name), Is.Null, name);
        }

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(accepted.Headers.Location!.OriginalString, Does.StartWith("/experiments/"), "never back to another site");
        Assert.That(await FileStore.GetExperimentByNameAsync("csrf-5"), Is.Not.Null);
    }

    [Test]
    public async Task A_refused_action_comes_back_to_its_page_with_the_store_s_message()
    {
        var (token, cookie) = await TokenAsync();
        await FileStore.CreateExperimentAsync("taken");

        using var response = await PostFormAsync("/actions/experiment-create", [("name", "taken"), ("_token", token), ("return", "/?q=t")], cookie, origin: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        var location = Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
        Assert.That(location, Does.StartWith("/?q=t&error="));
        Assert.That(location, Does.Contain("taken"));
    }

    [TestCase("it's", "it's a test")]
    [TestCase("say \"hi\"", "say \"hi\" there")]
    public async Task A_name_search_with_a_quote_finds_the_experiment_and_its_model(string search, string name)
    {
        await FileStore.CreateExperimentAsync(name);
        await FileStore.CreateExperimentAsync("other");
        var registry = new Tracking.Stores.File.FileModelRegistryStore(FileStore.RootDirectory);
        await registry.CreateRegisteredModelAsync(name);
        await registry.CreateModelVersionAsync(new Tracking.Registry.CreateModelVersionRequest(name, "file:///tmp/model"));

        var experiments = await Http.GetStringAsync("/?q=" + Uri.EscapeDataString(search));
        var models = await Http.GetStringAsync("/models?q=" + Uri.EscapeDataString(search));
        var model = await Http.GetStringAsync("/model?name=" + Uri.EscapeDataString(name));

        Assert.That(experiments, Does.Not.Contain("notice error"));
        Assert.That(experiments, Does.Contain(">" + name.Replace("'", "&#39;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal) + "</a>"));
        Assert.That(experiments, Does.Not.Contain(">other</a>"));
        Assert.That(models, Does.Not.Contain("notice error"));
        Assert.That(models, Does.Contain("v1 None"));
        Assert.That(model, Does.Contain("data-version=\"1\""));
    }

    [Test]
    public async Task Chart_data_of_a_long_history_is_sampled_on_the_server()
    {
        var experimentId = await FileStore.CreateExperimentAsync("long");
        var run = await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 });
        var points = Enumerable.Range(0, 20_000).Select(i => new Metric("loss", 1.0 / (i + 1), 1_700_000_000_000 + i, i)).ToArray();
        for (var i = 0; i < points.Length; i += 1000)
        {
            await FileStore.LogBatchAsync(run.Info.RunId, points[i..(i + 1000)], [], []);
        }

        using var json = JsonDocument.Parse(await Http.GetStringAsync($"/ui-api/chart?runs={run.Info.RunId}&key=loss"));
        var sampled = json.RootElement.GetProperty("runs")[0].GetProperty("points").EnumerateArray().Select(p => p[0].GetInt64()).ToList();

        Assert.That(sampled, Has.Count.InRange(900, 1002));
        Assert.That(sampled[0], Is.Zero);
        Assert.That(sampled[^1], Is.EqualTo(19_999), "the last step is always kept");
        Assert.That(sampled, Is.Ordered.Ascending);
    }

    [Test]
    public async Task Static_assets_are_embedded_versioned_and_small()
    {
        var page = await Http.GetStringAsync("/");
        var script = System.Text.RegularExpressions.Regex.Match(page, "src=\"(/static/app.js\\?v=[0-9a-f]+)\"").Groups[1].Value;
        var style = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/static/app.css\\?v=[0-9a-f]+)\"").Groups[1].Value;

        using var js = await Http.GetAsync(script);
        using var css = await Http.GetAsync(style);

        Assert.That(js.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(js.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(js.Headers.CacheControl!.ToString(), Does.Contain("immutable"));
        Assert.That(css.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
        Assert.That(js.Content.Headers.ContentLength + css.Content.Headers.ContentLength, Is.LessThan(64 * 1024));
    }

    [Test]
    public async Task The_ui_mounts_under_a_prefix_in_an_application_and_turns_off_in_the_server()
    {
        using var directory = new TemporaryDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMlflowTrackingServer(o => o.BackendStoreUri = directory.Combine("mlruns"));
        await using var app = builder.Build();
        app.MapGroup("/team/mlflow").MapMlflowUi();
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = baseUri };
        await using var noUi = await TrackingServer.StartAsync(new TrackingServerOptions { Store = FileStore, Port = 0, ServeUi = false });
        using var noUiHttp = new HttpClient { BaseAddress = noUi.Uri };

        var home = await http.GetStringAsync("/team/mlflow/");
        using var script = await http.GetAsync(System.Text.RegularExpressions.Regex.Match(home, "src=\"([^\"]+)\"").Groups[1].Value);
        using var off = await noUiHttp.GetAsync("/");

        Assert.That(home, Does.Contain("href=\"/team/mlflow/models\""));
        Assert.That(home, Does.Contain("action=\"/team/mlflow/actions/experiment-create\""));
        Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private async Task<(string Token, string Cookie)> TokenAsync()
    {
        using var response = await Http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"_token\" value=\"([^\"]+)\"").Groups[1].Value;
        var cookie = response.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        return (token, cookie);
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, (string, string)[] fields, string cookie, string? origin, string? fetchSite = null)
    {
        using var handlerless = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))) };
        handlerless.Headers.Add("Cookie", cookie);
        if (origin is not null)
        {
            handlerless.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            handlerless.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Uri };
        return await noRedirect.SendAsync(handlerless);
    }
}
