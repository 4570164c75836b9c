using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace MlWorkflow.Server.Ui.Tests;

/// <summary>The UI's flows in Chromium: experiments, runs sorted and filtered, a run with its chart and plot, compare, and a model promoted to Production.</summary>
[TestFixture]
public sealed class UiFlowTests : BrowserFixture
{
    [Test]
    public async Task An_experiment_s_runs_sort_by_a_metric_and_filter_with_the_search_grammar()
    {
        await Page.GotoAsync("/");
        await ScreenshotAsync("experiments");
        await Page.GetByRole(AriaRole.Link, new() { Name = UiStore.Experiment }).ClickAsync();
        await Assertions.Expect(Page.Locator("table.runs-table tbody tr")).ToHaveCountAsync(8);

        await Page.GetByRole(AriaRole.Link, new() { Name = "metrics.rmse", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("metrics.rmse");
        var ascending = await ColumnValuesAsync("metrics.rmse");
        await Page.GetByRole(AriaRole.Link, new() { Name = "metrics.rmse ▲" }).ClickAsync();
        await Assertions.Expect(Page.Locator("th[aria-sort=descending]")).ToContainTextAsync("metrics.rmse");
        var descending = await ColumnValuesAsync("metrics.rmse");

        await Page.GetByLabel("Filter").FillAsync("params.model = 'forest' and metrics.rmse < 0.8");
        await Page.GetByLabel("Filter").PressAsync("Enter");
        await Assertions.Expect(Page.Locator("table.runs-table tbody tr")).ToHaveCountAsync(3);
        var filtered = await Page.Locator("table.runs-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        await ScreenshotAsync("runs-filtered");

        await Page.GetByLabel("Filter").FillAsync("metrics.rmse <");
        await Page.GetByLabel("Filter").PressAsync("Enter");
        await Assertions.Expect(Page.Locator("#filter-error")).ToContainTextAsync("Invalid filter");
        await ScreenshotAsync("runs-filter-error");

        Assert.That(ascending, Is.Ordered.Ascending);
        Assert.That(ascending, Has.Count.EqualTo(8));
        Assert.That(descending, Is.Ordered.Descending);
        Assert.That(filtered, Is.EquivalentTo(new[] { "forest-2", "forest-4", "forest-6" }));
        Assert.That(PageErrors, Is.Empty);
    }

    [Test]
    public async Task A_run_shows_its_chart_its_plot_image_a_csv_table_and_its_model_s_signature()
    {
        await Page.GotoAsync($"/experiments/{ExperimentId}");
        await Page.GetByRole(AriaRole.Link, new() { Name = "forest-2", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator("h1")).ToContainTextAsync("forest-2");

        var chart = Page.Locator("figure.chart[data-key=rmse]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-drawn", "50");
        await Assertions.Expect(chart.Locator("svg path.series")).ToHaveCountAsync(1);
        await Page.GetByLabel("Log scale").CheckAsync();
        await Page.GetByLabel("X axis").SelectOptionAsync("relative");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-drawn", "50");

        await Page.GetByRole(AriaRole.Button, new() { Name = "residuals.png" }).ClickAsync();
        var image = Page.Locator(".preview img");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync("() => { const i = document.querySelector('.preview img'); return i && i.complete && i.naturalWidth > 0; }");
        var width = await image.EvaluateAsync<int>("i => i.naturalWidth");
        await ScreenshotAsync("run-plot");

        await Page.GetByRole(AriaRole.Button, new() { Name = "predictions.csv" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".preview table td").First).ToHaveTextAsync("Austin");
        var cities = await Page.Locator(".preview table tr td:first-child").AllInnerTextsAsync();

        Assert.That(width, Is.EqualTo(16), "the PNG decoded in the browser");
        Assert.That(cities, Is.EqualTo(new[] { "Austin", "Dallas, TX" }));
        Assert.That(await Page.Locator("pre.note").InnerTextAsync(), Is.EqualTo("<b>not bold</b> trained on the silver table"), "the note is text");
        Assert.That(await Page.Locator("article.model pre").First.InnerTextAsync(), Does.Contain("inputs:"));
        Assert.That(PageErrors, Is.Empty);
    }

    [Test]
    public async Task The_pages_follow_the_system_s_dark_setting_and_are_reachable_by_keyboard()
    {
        await Page.GotoAsync("/");
        var light = await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await Page.Keyboard.PressAsync("Tab");
        var first = await Page.EvaluateAsync<string>("() => document.activeElement.textContent");
        for (var i = 0; i < 40 && await Page.EvaluateAsync<string>("() => document.activeElement.textContent") != UiStore.Experiment; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page.Locator("h1")).ToContainTextAsync(UiStore.Experiment);
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        var dark = await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await ScreenshotAsync("runs-dark");

        Assert.That(first, Is.EqualTo("Skip to content"));
        Assert.That(light, Is.EqualTo("rgb(255, 255, 255)"));
        Assert.That(dark, Is.EqualTo("rgb(17, 20, 24)"));
    }

    [Test]
    public async Task A_run_named_like_a_script_shows_as_text_and_runs_nothing()
    {
        await Page.GotoAsync($"/experiments/{ExperimentId}");
        var link = Page.GetByRole(AriaRole.Link, new() { Name = UiStore.HostileName, Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Assertions.Expect(Page.Locator("h1")).ToContainTextAsync(UiStore.HostileName);
        await ScreenshotAsync("run-hostile-name");

        Assert.That(Dialogs, Is.Empty, "no alert ran");
        Assert.That(await Page.TitleAsync(), Does.StartWith(UiStore.HostileName));
        Assert.That(await Page.Locator("script:not([src]):not([type])").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Two_runs_compare_side_by_side_with_differences_marked_and_a_scatter()
    {
        await Page.GotoAsync($"/experiments/{ExperimentId}");
        await Page.GetByLabel("Select forest-0").CheckAsync();
        await Page.GetByLabel("Select linear-1").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();

        await Assertions.Expect(Page.Locator("h1")).ToHaveTextAsync("Comparing 2 runs");
        await Assertions.Expect(Page.Locator("section.scatter svg circle")).ToHaveCountAsync(2);
        await Page.GetByLabel("Param (x)").SelectOptionAsync("model");
        await Assertions.Expect(Page.Locator("section.scatter svg circle")).ToHaveCountAsync(2);
        await Assertions.Expect(Page.Locator("figure.chart[data-key=rmse] svg path.series")).ToHaveCountAsync(2);
        await ScreenshotAsync("compare");

        Assert.That(await Page.Locator("tr.diff[data-key='params.model']").CountAsync(), Is.EqualTo(1));
        Assert.That(await Page.Locator("tr.diff[data-key='metrics.rmse']").CountAsync(), Is.EqualTo(1));
        Assert.That(await Page.Locator("tr[data-key='params.lr'] td").AllInnerTextsAsync(), Is.EquivalentTo(new[] { "0.01", "0.02" }));
        Assert.That(PageErrors, Is.Empty);
    }

    [Test]
    public async Task A_version_promoted_to_production_with_archiving_shows_at_once_and_in_the_api()
    {
        await Registry.TransitionModelVersionStageAsync(UiStore.ModelName, 1, Tracking.Registry.ModelVersionStage.Production, archiveExistingVersions: false);
        await Page.GotoAsync("/models");
        await ScreenshotAsync("models");
        await Page.GetByRole(AriaRole.Link, new() { Name = UiStore.ModelName }).ClickAsync();

        var row = Page.Locator("tr[data-version='2']");
        await row.GetByLabel("New stage of version 2").SelectOptionAsync("Production");
        await row.GetByLabel("archive others").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".notice.ok")).ToContainTextAsync("now in Production");
        await row.GetByLabel("Alias for version 2").FillAsync("champion");
        await row.GetByRole(AriaRole.Button, new() { Name = "Set alias" }).ClickAsync();
        await Assertions.Expect(Page.Locator("tr[data-version='2']")).ToContainTextAsync("@champion");
        await ScreenshotAsync("model-promoted");

        using var http = new HttpClient { BaseAddress = Server.Uri };
        var v2 = await http.GetFromJsonAsync<JsonElement>($"/api/2.0/mlflow/model-versions/get?name={UiStore.ModelName}&version=2");
        var v1 = await http.GetFromJsonAsync<JsonElement>($"/api/2.0/mlflow/model-versions/get?name={UiStore.ModelName}&version=1");
        var alias = await http.GetFromJsonAsync<JsonElement>($"/api/2.0/mlflow/registered-models/alias?name={UiStore.ModelName}&alias=champion");

        Assert.That(await Page.Locator("tr[data-version='2'] .stage").InnerTextAsync(), Is.EqualTo("Production"));
        Assert.That(await Page.Locator("tr[data-version='1'] .stage").InnerTextAsync(), Is.EqualTo("Archived"));
        Assert.That(v2.GetProperty("model_version").GetProperty("current_stage").GetString(), Is.EqualTo("Production"));
        Assert.That(v1.GetProperty("model_version").GetProperty("current_stage").GetString(), Is.EqualTo("Archived"));
        Assert.That(alias.GetProperty("model_version").GetProperty("version").GetString(), Is.EqualTo("2"));
        Assert.That(Dialogs, Has.Count.EqualTo(2), "each change was confirmed");
    }

    [Test]
    public async Task Experiments_are_created_renamed_deleted_and_restored()
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("New experiment").FillAsync("churn");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(Page.Locator("h1")).ToContainTextAsync("churn");
        await Page.GotoAsync("/");
        var row = Page.Locator("tr", new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = "churn", Exact = true }) });
        await row.GetByLabel("New name").FillAsync("churn-v2");
        await row.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "churn-v2", Exact = true })).ToBeVisibleAsync();
        row = Page.Locator("tr", new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = "churn-v2", Exact = true }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "churn-v2", Exact = true })).ToHaveCountAsync(0);
        var deleted = await Store.GetExperimentByNameAsync("churn-v2");

        await Page.GetByLabel("deleted ones").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        var restored = await Store.GetExperimentByNameAsync("churn-v2");

        Assert.That(deleted!.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(restored!.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
    }

    private async Task<List<double>> ColumnValuesAsync(string header)
    {
        var headers = await Page.Locator("table.runs-table thead th").AllInnerTextsAsync();
        var index = headers.ToList().FindIndex(h => h.StartsWith(header, StringComparison.Ordinal)) + 1;
        var cells = await Page.Locator($"table.runs-table tbody tr td:nth-child({index})").AllInnerTextsAsync();
        return [.. cells.Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
    }
}
