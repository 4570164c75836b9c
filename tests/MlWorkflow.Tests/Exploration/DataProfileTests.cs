using Microsoft.Extensions.Logging;
using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Exploration;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;

namespace MlWorkflow.Tests.Exploration;

/// <summary>Data profiles of the real data sets, checked against figures computed independently (Python's statistics module).</summary>
[TestFixture]
public sealed class DataProfileTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test]
    public async Task Penguins_missing_values_distinct_counts_and_label_distribution()
    {
        var profile = await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), labelColumn: "species");
        var bill = profile["bill_length_mm"].Numeric!;
        Assert.Multiple(() =>
        {
            Assert.That(profile.RowCount, Is.EqualTo(344));
            Assert.That(profile["sex"].MissingCount, Is.EqualTo(11));
            Assert.That(profile["sex"].MissingShare, Is.EqualTo(11 / 344.0).Within(1e-12));
            Assert.That(profile["sex"].DistinctCount, Is.EqualTo(2));
            Assert.That(profile["sex"].IsDistinctCountExact, Is.True);
            Assert.That(profile["bill_length_mm"].MissingCount, Is.EqualTo(2));
            Assert.That(profile["island"].DistinctCount, Is.EqualTo(3));
            Assert.That(bill.Minimum, Is.EqualTo(32.1).Within(1e-9));
            Assert.That(bill.Maximum, Is.EqualTo(59.6).Within(1e-9));
            Assert.That(bill.Mean, Is.EqualTo(43.9219298245614).Within(1e-9));
            Assert.That(bill.StandardDeviation, Is.EqualTo(5.4595837139265315).Within(1e-9));
            Assert.That(bill.Histogram.Sum(b => b.Count), Is.EqualTo(342));
            Assert.That(profile.Label!.TopValues, Is.EqualTo(new[] { new ValueCount("Adelie", 152), new ValueCount("Gentoo", 124), new ValueCount("Chinstrap", 68) }));
            // Gentoo penguins have far longer flippers: the species explains most of the flipper length's variance.
            Assert.That(profile["flipper_length_mm"].LabelCorrelationKind, Is.EqualTo("correlation_ratio"));
            Assert.That(profile["flipper_length_mm"].LabelCorrelation, Is.GreaterThan(0.8).And.LessThanOrEqualTo(1));
            // Gentoo live only on Biscoe, Chinstrap only on Dream: island and species are strongly associated.
            Assert.That(profile["island"].LabelCorrelationKind, Is.EqualTo("cramers_v"));
            Assert.That(profile["island"].LabelCorrelation, Is.GreaterThan(0.6).And.LessThanOrEqualTo(1));
            Assert.That(profile.Label.LabelCorrelation, Is.Null, "the label is not correlated with itself");
        });
    }

    [Test]
    public async Task Diamonds_correlations_quantiles_and_an_estimated_distinct_count()
    {
        var profile = await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("diamonds.csv")), labelColumn: "price");
        var carat = profile["carat"];
        var price = profile["price"];
        Assert.Multiple(() =>
        {
            Assert.That(profile.RowCount, Is.EqualTo(53_940));
            Assert.That(carat.LabelCorrelationKind, Is.EqualTo("pearson"));
            Assert.That(carat.LabelCorrelation, Is.EqualTo(0.9215913011935698).Within(1e-9));
            Assert.That(carat.SpearmanCorrelation, Is.GreaterThan(0.9));
            Assert.That(carat.DistinctCount, Is.EqualTo(273));
            Assert.That(price.Numeric!.Mean, Is.EqualTo(3932.799721913237).Within(1e-6));
            Assert.That(price.Numeric.Median, Is.EqualTo(2401));
            Assert.That(price.Numeric.AreQuantilesExact, Is.True, "53,940 rows fit the default sample");
            // 11,602 distinct prices: past the exact limit (10,000), so estimated.
            Assert.That(price.IsDistinctCountExact, Is.False);
            Assert.That(price.DistinctCount, Is.EqualTo(11_602).Within(3).Percent);
            Assert.That(profile["cut"].TopValues[0], Is.EqualTo(new ValueCount("Ideal", 21_551)));
            Assert.That(profile["cut"].LabelCorrelationKind, Is.EqualTo("correlation_ratio"));
            Assert.That(profile["cut"].LabelCorrelation, Is.GreaterThan(0).And.LessThan(0.5));
            Assert.That(profile["cut"].MissingCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_small_sample_gives_approximate_quantiles_and_the_histogram_still_counts_every_row()
    {
        var options = new DataProfileOptions { SampleSize = 2000, HistogramBins = 7, ExactDistinctLimit = 50 };
        var profile = await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("diamonds.csv")), labelColumn: "price", options);
        var price = profile["price"].Numeric!;
        Assert.Multiple(() =>
        {
            Assert.That(price.AreQuantilesExact, Is.False);
            Assert.That(price.Median, Is.EqualTo(2401).Within(10).Percent);
            Assert.That(price.Histogram, Has.Count.EqualTo(7));
            Assert.That(price.Histogram.Sum(b => b.Count), Is.EqualTo(53_940));
            Assert.That(price.Histogram[0].Lower, Is.EqualTo(326));
            Assert.That(price.Histogram[^1].Upper, Is.EqualTo(18_823));
            Assert.That(profile["carat"].IsDistinctCountExact, Is.False);
            Assert.That(profile["carat"].DistinctCount, Is.EqualTo(273).Within(5).Percent);
            Assert.That(profile["carat"].LabelCorrelation, Is.EqualTo(0.9215913011935698).Within(1e-9), "Pearson streams over every row");
        });
    }

    [Test]
    public async Task The_report_is_Markdown_with_valid_PNG_plots()
    {
        using var folder = new TemporaryDirectory();
        var profile = await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), labelColumn: "species");
        var report = await profile.WriteReportAsync(folder.Path);
        var markdown = await File.ReadAllTextAsync(report.MarkdownFile);
        Assert.Multiple(() =>
        {
            Assert.That(Path.GetFileName(report.MarkdownFile), Is.EqualTo(DataProfile.MarkdownFileName));
            Assert.That(report.PlotFiles.Select(Path.GetFileName), Does.Contain(ScottPlotDataProfilePlotter.LabelDistributionFile).And.Contain(ScottPlotDataProfilePlotter.CorrelationsFile));
            Assert.That(report.PlotFiles, Has.Count.GreaterThanOrEqualTo(2 + 5), "label, correlations and one plot per feature column");
            foreach (var png in report.PlotFiles)
            {
                var bytes = File.ReadAllBytes(png);
                Assert.That(bytes.Take(8), Is.EqualTo(PngSignature), png);
                Assert.That(bytes, Has.Length.GreaterThan(5_000), png);
            }

            Assert.That(markdown, Does.Contain("| sex | String | 3.2% (11) | 2 |"));
            Assert.That(markdown, Does.Contain("| Adelie | 152 | 44.2% |"));
            Assert.That(markdown, Does.Contain("](label_distribution.png)"));
            Assert.That(markdown, Does.Contain("## Correlation with the label"));
        });
    }

    [Test]
    public async Task Markdown_alone_has_no_plot_section_and_escapes_column_names()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Value = 1, Name = "a|b" }, new Row { Value = float.NaN, Name = "" }, new Row { Value = 3, Name = "a|b" } });
        var profile = await DataProfile.ComputeAsync(data);
        var markdown = profile.ToMarkdown();
        Assert.Multiple(() =>
        {
            Assert.That(markdown, Does.Not.Contain("## Plots"));
            Assert.That(markdown, Does.Contain("| a\\|b | 2 |"), "a pipe in a value cannot break the table");
            Assert.That(profile["Value"].MissingCount, Is.EqualTo(1));
            Assert.That(profile["Name"].MissingCount, Is.EqualTo(1));
            Assert.That(profile.Label, Is.Null);
        });
    }

    [Test]
    public async Task An_unknown_label_is_refused_naming_the_columns()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), labelColumn: "specis"));
        Assert.That(error!.Message, Does.Contain("'specis'").And.Contain("species"));
    }

    [Test]
    public async Task The_report_is_logged_as_artifacts_of_a_run()
    {
        using var store = new TemporaryDirectory();
        using var client = MlflowClient.Create(store.Path);
        var profile = await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), labelColumn: "species");
        await using var run = await client.StartRunAsync();
        var logged = await run.LogDataProfileAsync(profile);
        var files = await run.ListArtifactsAsync(DataProfile.DefaultArtifactPath);
        Assert.Multiple(() =>
        {
            Assert.That(files.Select(f => f.Path), Is.EquivalentTo(logged));
            Assert.That(logged, Does.Contain("data_profile/data_profile.md").And.Contain("data_profile/label_distribution.png"));
        });
    }

    [Test]
    public async Task Profiling_says_what_it_did()
    {
        var logger = new ListLogger();
        await DataProfile.ComputeAsync(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), options: new DataProfileOptions { Logger = logger });
        Assert.That(logger.Lines, Has.One.StartsWith("Data profile: 344 rows, 8 columns in "));
    }

    [Test]
    public void Association_measures_on_hand_computed_cases()
    {
        Assert.Multiple(() =>
        {
            // Monotonic but not linear: Spearman is 1.
            Assert.That(ColumnAccumulator.Spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125]), Is.EqualTo(1).Within(1e-12));
            // Perfect association in a 2×2 table: V = 1; independence: V = 0.
            Assert.That(ColumnAccumulator.CramersV(new() { [("a", "x")] = 10, [("b", "y")] = 5 }), Is.EqualTo(1).Within(1e-12));
            Assert.That(ColumnAccumulator.CramersV(new() { [("a", "x")] = 5, [("a", "y")] = 5, [("b", "x")] = 5, [("b", "y")] = 5 }), Is.EqualTo(0).Within(1e-12));
            Assert.That(ColumnAccumulator.Quantile([1, 2, 3, 4], 0.5), Is.EqualTo(2.5));
        });
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }

    private sealed class Row
    {
        public float Value { get; set; }

        public string Name { get; set; } = string.Empty;
    }
}
