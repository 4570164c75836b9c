using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Features;
using MlWorkflow.Models;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>
/// Date parts and target encoding on real rows: txhousing (Texas home sales by city and month) rewritten to CSV files whose
/// only time information is a date column, and whose city and month are one high-cardinality category.
/// </summary>
[NonParallelizable]
public sealed class AutoFeaturizationTests
{
    private readonly TemporaryDirectory _folder = new();

    [OneTimeTearDown]
    public void TearDown() => _folder.Dispose();

    // txhousing's rows with sales, as: city, date (text, "2003-07-01" or with a time), listings, inventory, log_sales.
    private string WriteTxhousing(string name, Func<int, int, int, string> date, bool cityMonth = false)
    {
        var lines = new List<string> { "city,date,listings,inventory,log_sales" };
        foreach (var line in File.ReadLines(TestDatasets.PathOf("txhousing.csv")).Skip(1))
        {
            var f = line.Split(',');
            if (new[] { f[3], f[6], f[7] }.Any(v => v is "" or "NA"))
            {
                continue;
            }

            var year = int.Parse(f[1], CultureInfo.InvariantCulture);
            var month = int.Parse(f[2], CultureInfo.InvariantCulture);
            var city = f[0].Trim('"');
            var category = cityMonth ? $"{city} m{month}" : city;
            var sales = Math.Log(1 + double.Parse(f[3], CultureInfo.InvariantCulture));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\"{category}\",{date(year, month, lines.Count)},{f[6]},{f[7]},{sales:R}"));
        }

        var path = _folder.Combine(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public async Task A_text_column_of_dates_becomes_year_month_day_and_weekday_and_the_model_reloads_from_its_folder()
    {
        var path = WriteTxhousing("dates.csv", (y, m, _) => $"{y:D4}-{m:D2}-01");
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Label("log_sales")
            .AutoMl(o => o.Trials(3).Trainers("FastTree"))
            .RunAsync();

        var note = result.FeatureNotes.Single(n => n.Column == "date");
        Assert.That(note.Action, Is.EqualTo("date_parts"), note.Reason);
        Assert.That(note.Reason, Does.Contain("date_year").And.Contain("date_month").And.Contain("date_day_of_week").And.Not.Contain("date_hour"));

        // The parts are features of the final model, and the raw text is not.
        var scored = result.FinalModel.TestPredictions!;
        var years = scored.GetColumn<float>("date_year").ToArray();
        var months = scored.GetColumn<float>("date_month").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(years, Is.All.InRange(2000f, 2015f));
            Assert.That(months, Is.All.InRange(1f, 12f));
            Assert.That(months.Distinct().Count(), Is.EqualTo(12));
        });

        // A saved model holds the date mapping by contract name and reloads with it.
        var folder = _folder.Combine("dates-model");
        result.FinalModel.SaveModel(folder);
        var loaded = MlnetModel.Load(folder);
        var ml = new MLContext(1);
        var rows = await DataSource.Csv(path).LoadAsync(ml);
        var reloaded = loaded.Predict(ml.Data.TakeRows(rows, 50)).GetColumn<float>("Score").ToArray();
        var direct = result.FinalModel.Model.Transform(ml.Data.TakeRows(rows, 50)).GetColumn<float>("Score").ToArray();
        Assert.That(reloaded, Is.EqualTo(direct));
    }

    [Test]
    public async Task Date_parts_carry_the_seasonality_that_the_text_column_alone_hides()
    {
        // The same rows, the date as text with a time of day: parts with the hour, and a lower test error than with the
        // date column dropped (sales in Texas are seasonal: the month matters).
        var path = WriteTxhousing("timestamps.csv", (y, m, i) => $"{y:D4}-{m:D2}-15T{i % 24:D2}:30:00");
        using var withDates = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Label("log_sales")
            .AutoMl(o => o.Trials(2).Trainers("FastTree"))
            .RunAsync();
        using var without = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Features(f => f.Drop("date"))
            .Label("log_sales")
            .AutoMl(o => o.Trials(2).Trainers("FastTree"))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(withDates.FeatureNotes.Single(n => n.Column == "date").Reason, Does.Contain("date_hour"));
            Assert.That(withDates.TestMetrics.Rmse, Is.LessThan(without.TestMetrics.Rmse!.Value * 0.95));
        });
    }

    [Test]
    public async Task A_DateTime_column_gets_its_parts_too()
    {
        var ml = new MLContext(3);
        var rows = Enumerable.Range(0, 400).Select(i => new Dated
        {
            When = new DateTime(2020, 1, 1).AddDays(i * 3.5),
            Noise = (float)((i * 7919) % 13),
            Label = Weekly(new DateTime(2020, 1, 1).AddDays(i * 3.5)),
        });
        using var result = await MlWorkflow.Workflow.Create(seed: 3, ml)
            .Load(ml.Data.LoadFromEnumerable(rows))
            .Label("Label")
            .AutoMl(o => o.Trials(2).Trainers("FastTree").ForTask(LearningTask.Regression))
            .RunAsync();

        var note = result.FeatureNotes.Single(n => n.Column == "When");
        Assert.Multiple(() =>
        {
            Assert.That(note.Action, Is.EqualTo("date_parts"), note.Reason);
            Assert.That(note.Reason, Does.Contain("When_hour"), "noon and midnight both occur");
            // The label (standard deviation near 4) is the month plus 5 on Saturdays: only the parts tell them.
            Assert.That(result.TestMetrics.Rmse, Is.LessThan(1.0));
        });
    }

    [Test]
    public async Task A_category_with_hundreds_of_values_is_target_encoded_from_the_training_rows_only()
    {
        // City and month as one category: 46 × 12 values, too many to one-hot.
        var path = WriteTxhousing("city-month.csv", (y, m, _) => y.ToString(CultureInfo.InvariantCulture), cityMonth: true);
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Label("log_sales")
            .AutoMl(o => o.Trials(2).Trainers("FastTree"))
            .RunAsync();

        var note = result.FeatureNotes.Single(n => n.Column == "city");
        Assert.That(note.Action, Is.EqualTo("target_encode"), note.Reason);

        // The final model's encoding is the smoothed mean of the search rows' labels (never the test rows'), centred on their mean.
        var ml = new MLContext(1);
        var search = result.SearchRows!;
        var labels = AutoFeaturizer.ReadDoubles(ml, search, "log_sales");
        var cities = search.GetColumn<ReadOnlyMemory<char>>("city").Select(v => v.ToString()).ToArray();
        var mean = labels.Average();
        var encoded = result.FinalModel.Model.Transform(search).GetColumn<float>("city").ToArray();
        var categories = cities.Distinct().Take(20).ToArray();
        Assert.That(categories, Has.Length.EqualTo(20));
        foreach (var category in categories)
        {
            var own = labels.Where((_, i) => cities[i] == category).ToArray();
            var expected = ((own.Sum() + (20 * mean)) / (own.Length + 20)) - mean;
            Assert.That(encoded[Array.IndexOf(cities, category)], Is.EqualTo(expected).Within(1e-4), category);
        }
    }

    [Test]
    public void The_target_encoding_step_maps_an_unseen_category_to_the_training_mean_and_needs_a_number_label()
    {
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(new[]
        {
            new CityRow { city = "a", y = 1 }, new CityRow { city = "a", y = 3 }, new CityRow { city = "b", y = 8 },
        });
        var model = new TargetEncodeStep("city", "y", smoothing: 2).CreateEstimator(ml).Fit(rows);
        var probe = ml.Data.LoadFromEnumerable(new[] { new CityRow { city = "a" }, new CityRow { city = "zzz" }, new CityRow { city = string.Empty } });
        var encoded = model.Transform(probe).GetColumn<float>("city").ToArray();

        // mean 4; a: (4 + 2·4) / (2 + 2) − 4 = −1.
        Assert.That(encoded, Is.EqualTo(new[] { -1f, 0f, 0f }));
        var text = ml.Data.LoadFromEnumerable(new[] { new TextLabelRow { city = "a", y = "x" } });
        Assert.That(() => new TargetEncodeStep("city", "y", 2).CreateEstimator(ml).Fit(text), Throws.InvalidOperationException.With.Message.Contains("numeric or Boolean label"));
    }

    [Test]
    public async Task A_right_skewed_number_never_negative_is_log_scaled_and_one_with_negative_values_is_not()
    {
        // breast_cancer's measurements, plus mean_radius shifted below zero (same skew, negative values) and a 0/1 column.
        var lines = File.ReadAllLines(TestDatasets.PathOf("breast_cancer.csv"));
        var radius = Array.IndexOf(lines[0].Split(','), "mean_radius");
        var path = _folder.Combine("breast_cancer_shifted.csv");
        File.WriteAllLines(path, lines.Select((line, i) => i == 0
            ? line + ",shifted_radius,flag"
            : string.Create(CultureInfo.InvariantCulture, $"{line},{double.Parse(line.Split(',')[radius], CultureInfo.InvariantCulture) - 14:R},{i % 2}")));
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Features(f => f.NormalizeMinMax("mean_area"))
            .Label("target")
            .AutoMl(o => o.Trials(2).Trainers("LbfgsLogisticRegression"))
            .RunAsync();

        var area = result.FeatureNotes.Single(n => n.Column == "worst_area");
        Assert.Multiple(() =>
        {
            Assert.That(area.Action, Is.EqualTo("log_scaled"), area.Reason);
            Assert.That(area.Reason, Does.Contain("skewness").And.Contain("NormalizeLogMeanVariance"));
            Assert.That(result.FeatureNotes.Single(n => n.Column == "shifted_radius").Action, Is.EqualTo("kept"), "negative values would all map to 0");
            Assert.That(result.FeatureNotes.Single(n => n.Column == "flag").Action, Is.EqualTo("kept"), "two values: nothing to unskew");
            Assert.That(result.FeatureNotes.Single(n => n.Column == "mean_area").Action, Is.EqualTo("kept"), "the user's own scaling stands (mean_area is as skewed as worst_area)");
            Assert.That(result.BestWorkflow.FeatureSteps.Single(s => s.Name == "normalize_log_mean_variance").InputColumns, Is.EquivalentTo(result.FeatureNotes.Where(n => n.Reason.Contains("log-scaled", StringComparison.Ordinal)).Select(n => n.Column)));
        });

        // New rows: the map keeps the order of the values and stays in [0, 1], zero at zero, for values beyond the training range too.
        var folder = _folder.Combine("breast-cancer-model");
        result.FinalModel.SaveModel(folder);
        var loaded = MlnetModel.Load(folder);
        var ml = new MLContext(1);
        var raw = await DataSource.Csv(path).LoadAsync(ml);
        var rows = ml.Data.TakeRows(raw, 50);
        var before = rows.GetColumn<double>("worst_area").ToArray();
        var after = loaded.Predict(rows).GetColumn<float>("worst_area").ToArray();
        var order = Enumerable.Range(0, before.Length).OrderBy(i => before[i]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.All.InRange(0f, 1f));
            Assert.That(order.Select(i => after[i]), Is.Ordered, "an increasing map: tree trainers split it as before");
            Assert.That(after.Distinct().Count(), Is.EqualTo(before.Distinct().Count()), "no two values merged");
        });
    }

    [Test]
    public async Task A_number_no_training_row_misses_still_gets_the_training_median_in_new_rows()
    {
        // The whole-number measurements read as Double, as in the whole file, where gaps make them Double (a model whose input
        // is Int32 refuses NaN, as MLflow's schema enforcement refuses it for an integer column).
        var complete = RealCsvSubsets.Write("penguins.csv", _folder.Combine("penguins-complete.csv"), RealCsvSubsets.Measured);
        var asInWholeFile = new CsvOptions { ColumnTypes = new Dictionary<string, DataKind> { ["flipper_length_mm"] = DataKind.Double, ["body_mass_g"] = DataKind.Double } };
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(complete, asInWholeFile))
            .Label("species")
            .AutoMl(o => o.Trials(2).Trainers("LbfgsMaximumEntropy"))
            .RunAsync();

        var folder = _folder.Combine("penguins-model");
        result.FinalModel.SaveModel(folder);
        var loaded = MlnetModel.Load(folder);
        var ml = new MLContext(1);
        // The rows with gaps, read with the whole file's types (a column empty in every row of a file of its own reads as text).
        var all = await DataSource.Csv(TestDatasets.PathOf("penguins.csv")).LoadAsync(ml);
        var newRows = ml.Data.FilterByCustomPredicate<BillRow>(all, r => !double.IsNaN(r.bill_length_mm));
        var scores = loaded.Predict(newRows).GetColumn<float[]>("Score").ToArray();
        var note = result.FeatureNotes.Single(n => n.Column == "bill_length_mm");
        Assert.Multiple(() =>
        {
            Assert.That(newRows.GetColumn<double>("bill_length_mm").Count(double.IsNaN), Is.EqualTo(2), "two rows have no measurement at all");
            Assert.That(scores.SelectMany(s => s), Is.All.Not.NaN, "a linear model scores rows with missing numbers");
            Assert.That(note.Action, Is.EqualTo("kept"));
            Assert.That(note.Reason, Does.Contain("median of the training rows"));
            Assert.That(result.FeatureNotes.Any(n => n.Reason.Contains("_missing", StringComparison.Ordinal)), Is.False, "no indicator: it would be 0 on every training row");
        });
    }

    [Test]
    public async Task Rows_a_model_cannot_score_fail_the_evaluation_instead_of_being_left_out()
    {
        // Trained on every row (L-BFGS skips the two rows without measurements), tested on every row: no imputation, so those two get NaN scores.
        var penguins = DataSource.Csv(TestDatasets.PathOf("penguins.csv"));
        var error = await Assert.ThrowsAsync<UnscoredRowsException>(() => MlWorkflow.Workflow.Create(seed: 42)
            .Load(penguins)
            .Features(f => f.OneHot("island").OneHot("sex"))
            .Label("species")
            .TestOn(penguins)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Rows, Is.EqualTo(2), "the two rows without any measurement");
            Assert.That(error.TotalRows, Is.EqualTo(344));
            Assert.That(error.FirstRow, Is.EqualTo(3), "the fourth row of the file");
            Assert.That(error.Message, Does.Contain("2 of 344 rows got no prediction").And.Contain("ReplaceMissing"));
        });
    }

    [Test]
    public async Task A_high_cardinality_category_for_a_multiclass_label_is_hashed_with_the_reason()
    {
        var path = WriteTxhousing("city-month-classes.csv", (y, m, _) => y.ToString(CultureInfo.InvariantCulture), cityMonth: true);
        var ml = new MLContext(1);
        var data = await DataSource.Csv(path).LoadAsync(ml);
        var classes = ml.Transforms.Expression("size", "x => x > 5.5 ? \"big\" : x > 4 ? \"mid\" : \"small\"", "log_sales").Fit(data).Transform(data);
        using var result = await MlWorkflow.Workflow.Create(seed: 42, ml)
            .Load(ml.Transforms.DropColumns("log_sales").Fit(classes).Transform(classes))
            .Label("size")
            .AutoMl(o => o.Trials(1).Trainers("LightGbm").CrossValidate(2))
            .RunAsync();

        var note = result.FeatureNotes.Single(n => n.Column == "city");
        Assert.Multiple(() =>
        {
            Assert.That(note.Action, Is.EqualTo("one_hot_hash"));
            Assert.That(note.Reason, Does.Contain("target encoding takes a numeric or Boolean label"));
        });
    }

    private static float Weekly(DateTime day) => day.Month + (day.DayOfWeek == DayOfWeek.Saturday ? 5 : 0);

    private sealed class Dated
    {
        public DateTime When { get; set; }

        public float Noise { get; set; }

        public float Label { get; set; }
    }

#pragma warning disable IDE1006, SA1300 // the columns' names
    private sealed class BillRow
    {
        public double bill_length_mm { get; set; }
    }

    private sealed class CityRow
    {
        public string city { get; set; } = string.Empty;

        public float y { get; set; }
    }

    private sealed class TextLabelRow
    {
        public string city { get; set; } = string.Empty;

        public string y { get; set; } = string.Empty;
    }
#pragma warning restore IDE1006, SA1300
}
