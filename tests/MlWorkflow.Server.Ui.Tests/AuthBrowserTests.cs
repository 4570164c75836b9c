using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Ui.Tests;

/// <summary>The UI in Chromium on a server with auth: a browser logged in with HTTP Basic sees and charts what its user may read, and nothing else.</summary>
[TestFixture]
public sealed class AuthBrowserTests
{
    private TemporaryDirectory _directory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private TrackingServer _server = null!;
    private FileTrackingStore _store = null!;
    private string[] _runIds = [];
    private string _experimentId = string.Empty;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("MLW_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Assert.Fail($"Chromium is missing at {chromium}: install it with `sudo apt-get install -y chromium`, or set MLW_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [SetUp]
    public async Task StartServer()
    {
        _directory = new TemporaryDirectory();
        FileModelRegistryStore registry;
        (_store, registry, _runIds) = await UiStore.CreateAsync(_directory.Combine("mlruns"));
        _experimentId = (await _store.GetRunAsync(_runIds[0])).Info.ExperimentId;
        _server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            Store = _store,
            RegistryStore = registry,
            Port = 0,
            Auth = new MlflowAuthOptions { AdminUsername = "root", AdminPassword = "root-pw", PasswordHashIterations = 1000, DefaultPermission = MlflowPermissionLevel.NoPermissions },
        });
        using var admin = new HttpClient { BaseAddress = _server.Uri };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("root:root-pw"u8.ToArray()));
        foreach (var user in new[] { "alice", "bob" })
        {
            using var created = await admin.PostAsync("/api/2.0/mlflow/users/create", new StringContent($$"""{"username":"{{user}}","password":"{{user}}-pw"}""", Encoding.UTF8, "application/json"));
            Assert.That((int)created.StatusCode, Is.EqualTo(200));
        }

        using var granted = await admin.PostAsync("/api/2.0/mlflow/experiments/permissions/create", new StringContent($$"""{"experiment_id":"{{_experimentId}}","username":"alice","permission":"READ"}""", Encoding.UTF8, "application/json"));
        Assert.That((int)granted.StatusCode, Is.EqualTo(200));
    }

    [TearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task A_user_with_read_sees_the_experiment_and_its_chart_and_another_user_sees_neither()
    {
        var alice = await PageAsync("alice");
        var errors = new List<string>();
        alice.PageError += (_, error) => errors.Add(error);
        await alice.GotoAsync("/");
        await Assertions.Expect(alice.GetByRole(AriaRole.Link, new() { Name = UiStore.Experiment, Exact = true })).ToBeVisibleAsync();
        await alice.GetByRole(AriaRole.Link, new() { Name = UiStore.Experiment, Exact = true }).ClickAsync();
        await alice.GetByRole(AriaRole.Link, new() { Name = "forest-2", Exact = true }).ClickAsync();
        await Assertions.Expect(alice.Locator("figure.chart[data-key=rmse]")).ToHaveAttributeAsync("data-drawn", "50");

        var bob = await PageAsync("bob");
        await bob.GotoAsync("/");
        var bobsHome = await bob.ContentAsync();
        var refused = await bob.GotoAsync($"/experiments/{_experimentId}");

        Assert.That(errors, Is.Empty, "the chart's script fetched its data with the browser's credentials");
        Assert.That(bobsHome, Does.Not.Contain(UiStore.Experiment));
        Assert.That(refused!.Status, Is.EqualTo(403));
    }

    [Test]
    public async Task A_browser_without_credentials_gets_the_basic_challenge()
    {
        // The context's own request API: a page navigation would open the (headless, unanswerable) login prompt instead.
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.Uri.ToString().TrimEnd('/') });

        var response = await context.APIRequest.GetAsync("/");

        Assert.That(response.Status, Is.EqualTo(401));
        Assert.That(response.Headers["www-authenticate"], Is.EqualTo("Basic realm=\"mlflow\""));
        await context.CloseAsync();
    }

    private async Task<IPage> PageAsync(string user)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.Uri.ToString().TrimEnd('/'),
            HttpCredentials = new HttpCredentials { Username = user, Password = user + "-pw" },
        });
        return await context.NewPageAsync();
    }
}
