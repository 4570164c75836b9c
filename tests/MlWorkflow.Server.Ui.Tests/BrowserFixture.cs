using Microsoft.Playwright;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Ui.Tests;

/// <summary>
/// A tracking server on 127.0.0.1 over a store made by <see cref="UiStore"/>, and the system's Chromium driven by Playwright
/// (browsers cannot be downloaded here: <c>MLW_CHROMIUM</c>, else <c>/usr/bin/chromium</c>). Screenshots go to the test results.
/// </summary>
public abstract class BrowserFixture
{
    private TemporaryDirectory _directory = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    protected TrackingServer Server { get; private set; } = null!;

    protected FileTrackingStore Store { get; private set; } = null!;

    protected FileModelRegistryStore Registry { get; private set; } = null!;

    protected string[] RunIds { get; private set; } = [];

    /// <summary>The id of <see cref="UiStore.Experiment"/>.</summary>
    protected string ExperimentId { get; private set; } = string.Empty;

    protected IPage Page { get; private set; } = null!;

    /// <summary>Messages of JavaScript dialogs the page opened (alert, confirm), accepted.</summary>
    protected List<string> Dialogs { get; } = [];

    /// <summary>Script errors on the page.</summary>
    protected List<string> PageErrors { get; } = [];

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("MLW_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Assert.Fail($"Chromium is missing at {chromium}: install it with `sudo apt-get install -y chromium` (.ci/run does), or set MLW_CHROMIUM to a Chromium binary.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
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
        (Store, Registry, RunIds) = await UiStore.CreateAsync(_directory.Combine("mlruns"));
        ExperimentId = (await Store.GetRunAsync(RunIds[0])).Info.ExperimentId;
        Server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = Store, RegistryStore = Registry, Port = 0 });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.Uri.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        Page = await context.NewPageAsync();
        Dialogs.Clear();
        PageErrors.Clear();
        Page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        Page.PageError += (_, error) => PageErrors.Add(error);
    }

    [TearDown]
    public async Task StopServer()
    {
        await Page.Context.CloseAsync();
        await Server.DisposeAsync();
        Store.Dispose();
        _directory.Dispose();
    }

    /// <summary>Saves a full-page screenshot with the test's results.</summary>
    protected async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ui-screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }
}
