using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Workflow;

/// <summary>Issue 14: where the test rows come from — an explicit test set, stratified, grouped and column splits, folds without a refit.</summary>
public sealed class TestSetTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    // The README's sales forecast: volume, median and date leak or repeat the label.
    // The city is one-hot encoded into a column of its own, so the scored test rows keep its name.
    private static MlWorkflow.Workflow SalesForecast(IDataSource train) => MlWorkflow.Workflow.Create(42)
        .Load(train)
        .Features(f => f.Log1p("sales", "log_sales").Drop("volume", "median", "date")
            .ReplaceMissing("listings", indicator: false).ReplaceMissing("inventory", indicator: false).OneHot("city", "city_code").Drop("city"))
        .Label("log_sales")
        .Train(Trainers.Regression.FastTree(trees: 50));

    [Test]
    public async Task TestOn_a_later_file_where_counts_are_whole_numbers_evaluates_on_it()
    {
        // Training: the months before 2014, gaps and all, so sales and listings read as Double; test: 2014 on, complete, so Int32.
        var train = RealCsvSubsets.Write("txhousing.csv", _temp.Combine("before-2014.csv"), r => RealCsvSubsets.Number(r, "year") < 2014);
        var test = RealCsvSubsets.Write("txhousing.csv", _temp.Combine("from-2014.csv"), r => RealCsvSubsets.Number(r, "year") >= 2014 && RealCsvSubsets.Complete(r));
        var testRows = File.ReadLines(test).Count() - 1;

        using var result = await SalesForecast(DataSource.Csv(train)).TestOn(DataSource.Csv(test)).RunAsync();

        var ml = new MLContext();
        var testView = await DataSource.Csv(test).LoadAsync(ml);
        Assert.Multiple(() =>
        {
            Assert.That(testView.Schema["sales"].Type, Is.EqualTo(NumberDataViewType.Int32), "the test file has no gap in sales");
            Assert.That(result.Metrics.Basis, Is.EqualTo(MetricBasis.Test));
            Assert.That(result.Metrics[MetricNames.ExampleCount], Is.EqualTo(testRows), "every test row, and only those, is scored");
            Assert.That(result.Metrics.R2, Is.GreaterThan(0.9));
            Assert.That(result.Params["split"], Is.EqualTo("test_set"));
            Assert.That(result.Params["test_data"], Does.Contain("from-2014"));
            Assert.That(result.TestPredictions!.GetColumn<float>("year").Min(), Is.GreaterThanOrEqualTo(2014), "year is a feature, converted to Single");
        });
    }

    [Test]
    public async Task TestOn_data_whose_column_cannot_be_converted_says_which_column_and_types()
    {
        var train = RealCsvSubsets.Write("txhousing.csv", _temp.Combine("before-2014.csv"), r => RealCsvSubsets.Number(r, "year") < 2014);
        var test = _temp.Combine("from-2014-text.csv");
        var lines = File.ReadAllLines(RealCsvSubsets.Write("txhousing.csv", _temp.Combine("from-2014.csv"), r => RealCsvSubsets.Number(r, "year") >= 2014 && RealCsvSubsets.Complete(r)));

        // A listings count written as text in one row makes the column text.
        var fields = lines[1].Split(',');
        fields[6] = "\"about 700\"";
        lines[1] = string.Join(',', fields);
        File.WriteAllLines(test, lines);

        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() => SalesForecast(DataSource.Csv(train)).TestOn(DataSource.Csv(test)).RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Step, Is.EqualTo("TestOn"));
            Assert.That(error.Column, Is.EqualTo("listings"));
            Assert.That(error.Message, Does.Contain("String here but was Double in the training data"));
            Assert.That(error.InnerException, Is.InstanceOf<ColumnTypeMismatchException>());
        });
    }

    [Test]
    public async Task TestOn_data_with_gaps_in_a_count_that_was_complete_in_training_says_to_read_it_as_Double()
    {
        // Training: the penguins with every measurement, so flipper length reads as Int32; test: the whole file, where two
        // rows have no measurement, so it reads as Double with missing values.
        var complete = RealCsvSubsets.Write("penguins.csv", _temp.Combine("penguins-complete.csv"), RealCsvSubsets.Measured);

        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() => MlWorkflow.Workflow.Create(1)
            .Load(DataSource.Csv(complete))
            .Features(f => f.OneHot("island").OneHot("sex"))
            .Label("species")
            .TestOn(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Train(Trainers.MulticlassClassification.LightGbm())
            .RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Column, Is.EqualTo("flipper_length_mm"));
            Assert.That(error.InnerException, Is.InstanceOf<ColumnTypeMismatchException>());
            Assert.That(error.Message, Does.Contain("cannot hold missing or fractional values").And.Contain("CsvOptions.ColumnTypes[\"flipper_length_mm\"] = DataKind.Double"));
        });
    }

    [Test]
    public async Task TestOn_data_without_a_column_the_model_reads_names_it()
    {
        var ml = new MLContext(1);
        var iris = TestDatasets.Iris(ml);
        var withoutPetals = ml.Transforms.DropColumns("Petal.Width").Fit(iris).Transform(iris);
        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() => MlWorkflow.Workflow.Create(1, ml)
            .Load(iris).Label("Species").TestOn(withoutPetals).Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy()).RunAsync());
        Assert.That(error!.Message, Does.Contain("'Petal.Width'").And.Contain("the model reads"));
    }

    [Test]
    public async Task A_stratified_split_keeps_each_species_share()
    {
        var ml = new MLContext(5);
        var penguins = await DataSource.Csv(TestDatasets.PathOf("penguins.csv")).LoadAsync(ml);
        using var result = await MlWorkflow.Workflow.Create(5, ml)
            .Load(penguins)
            .Features(f => f.Drop("island", "sex").ReplaceMissing("bill_length_mm", indicator: false).ReplaceMissing("bill_depth_mm", indicator: false)
                .ReplaceMissing("flipper_length_mm", indicator: false).ReplaceMissing("body_mass_g", indicator: false))
            .Label("species")
            .Split(0.2, stratify: true)
            .Train(Trainers.MulticlassClassification.SdcaMaximumEntropy())
            .RunAsync();

        var all = penguins.GetColumn<string>("species").GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var test = result.TestPredictions!.GetColumn<string>("PredictedLabel").Count();
        var testSpecies = ml.Transforms.Conversion.MapKeyToValue("species").Fit(result.TestPredictions).Transform(result.TestPredictions)
            .GetColumn<string>("species").GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            foreach (var (species, count) in all)
            {
                Assert.That(testSpecies[species], Is.EqualTo((int)Math.Round(count * 0.2, MidpointRounding.AwayFromZero)), species);
            }

            Assert.That(test, Is.EqualTo(testSpecies.Values.Sum()));
            Assert.That(result.Params["split_stratify"], Is.EqualTo("true"));
            Assert.That(result.Metrics.Accuracy, Is.GreaterThan(0.95));
        });
    }

    [Test]
    public async Task A_random_split_holds_out_the_fraction_rounded_up_as_train_test_split_does()
    {
        static MlWorkflow.Workflow Penguins(int seed) => MlWorkflow.Workflow.Create(seed)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Features(f => f.Drop("island", "sex").ReplaceMissing("bill_length_mm", indicator: false).ReplaceMissing("bill_depth_mm", indicator: false)
                .ReplaceMissing("flipper_length_mm", indicator: false).ReplaceMissing("body_mass_g", indicator: false))
            .Label("species")
            .Split(0.2)
            .Train(Trainers.MulticlassClassification.SdcaMaximumEntropy());

        using var first = await Penguins(42).RunAsync();
        using var again = await Penguins(42).RunAsync();
        using var other = await Penguins(7).RunAsync();

        static float[] Bills(WorkflowResult result) => result.TestPredictions!.GetColumn<float>("bill_length_mm").ToArray();
        Assert.Multiple(() =>
        {
            // 344 rows: 0.2 × 344 = 68.8, rounded up to 69 (ML.NET's own split draws each row with probability 0.2: 59 here).
            Assert.That(first.Metrics[MetricNames.ExampleCount], Is.EqualTo(69));
            Assert.That(other.Metrics[MetricNames.ExampleCount], Is.EqualTo(69));
            Assert.That(Bills(again), Is.EqualTo(Bills(first)), "the same seed holds out the same rows");
            Assert.That(Bills(other), Is.Not.EqualTo(Bills(first)), "another seed holds out other rows");
            Assert.That(first.Metrics.Accuracy, Is.GreaterThan(0.95));
        });
    }

    [Test]
    public void A_random_split_keeps_a_row_on_each_side_and_random_folds_differ_by_one_row_at_most()
    {
        var folds = MlWorkflow.Splitting.SplitAssignment.RandomFolds(344, 5, seed: 3);
        Assert.Multiple(() =>
        {
            Assert.That(MlWorkflow.Splitting.SplitAssignment.Random(150, 0.33, seed: 1).Count(t => t), Is.EqualTo(50), "49.5 rounded up");
            Assert.That(MlWorkflow.Splitting.SplitAssignment.Random(100, 0.07, seed: 1).Count(t => t), Is.EqualTo(7), "100 × 0.07 is 7.000000000000001 in binary");
            Assert.That(MlWorkflow.Splitting.SplitAssignment.Random(2, 1e-12, seed: 1).Count(t => t), Is.EqualTo(1), "at least one test row, though 2 × 1e-12 rounds to 0");
            Assert.That(MlWorkflow.Splitting.SplitAssignment.Random(2, 0.99, seed: 1).Count(t => t), Is.EqualTo(1), "at least one training row");
            Assert.That(folds.GroupBy(f => f).OrderBy(g => g.Key).Select(g => g.Count()), Is.EqualTo(new[] { 69, 69, 69, 69, 68 }));
            Assert.That(MlWorkflow.Splitting.SplitAssignment.RandomFolds(344, 5, seed: 4), Is.Not.EqualTo(folds), "folds depend on the seed");
        });
    }

    [Test]
    public async Task Random_folds_test_every_row_once()
    {
        var ml = new MLContext(3);
        using var result = await MlWorkflow.Workflow.Create(3, ml)
            .Load(TestDatasets.BreastCancer(ml)).Label("target").CrossValidate(4, refit: false)
            .Train(Trainers.BinaryClassification.LbfgsLogisticRegression()).RunAsync();
        var rows = TestDatasets.BreastCancer(ml).GetColumn<float>("target").Count();
        var sizes = result.FoldMetrics.Select(f => f[MetricNames.ExampleCount]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(sizes.Sum(), Is.EqualTo(rows));
            Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1));
            Assert.That(result.Metrics.Auc, Is.GreaterThan(0.98));
        });
    }

    [Test]
    public async Task A_grouped_split_puts_each_city_on_one_side()
    {
        var source = DataSource.Csv(TestDatasets.PathOf("txhousing.csv"));
        var ml = new MLContext();
        var rowsPerCity = (await source.LoadAsync(ml)).GetColumn<string>("city").GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

        using var result = await SalesForecast(source).Split(0.25, groupBy: "city").RunAsync();

        var testCities = result.TestPredictions!.GetColumn<string>("city").GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            Assert.That(testCities, Has.Count.EqualTo((int)Math.Ceiling(rowsPerCity.Count * 0.25)), "a quarter of the cities, rounded up");
            foreach (var (city, rows) in testCities)
            {
                Assert.That(rows, Is.EqualTo(rowsPerCity[city]), $"every row of {city} is a test row");
            }

            Assert.That(result.Params["split_group"], Is.EqualTo("city"));
        });
    }

    [Test]
    public async Task SplitBy_a_year_tests_on_the_later_rows()
    {
        var source = DataSource.Csv(TestDatasets.PathOf("txhousing.csv"));
        var ml = new MLContext();
        var years = (await source.LoadAsync(ml)).GetColumn<int>("year").ToArray();

        using var result = await SalesForecast(source).SplitBy("year", testFrom: 2014).RunAsync();

        var testYears = result.TestPredictions!.GetColumn<float>("year").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(testYears, Has.Length.EqualTo(years.Count(y => y >= 2014)));
            Assert.That(testYears, Is.All.GreaterThanOrEqualTo(2014f));
            Assert.That(result.Params["split"], Is.EqualTo("column"));
            Assert.That(result.Params["split_column"], Is.EqualTo("year"));
            Assert.That(result.Params["split_test_from"], Is.EqualTo("2014"));
            Assert.That(result.SignatureInputColumns, Does.Contain("year"), "a threshold column stays a feature");
        });
    }

    private sealed class SalesMonth
    {
        public string City { get; set; } = string.Empty;

        public DateTime Month { get; set; }

        public double Listings { get; set; }

        public double Sales { get; set; }
    }

    [Test]
    public async Task SplitBy_a_date_tests_on_the_months_from_it()
    {
        var months = File.ReadLines(TestDatasets.PathOf("txhousing.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[3].Length > 0 && f[6].Length > 0)
            .Select(f => new SalesMonth
            {
                City = f[0].Trim('"'),
                Month = new DateTime(int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), 1),
                Listings = double.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture),
                Sales = double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
            })
            .ToList();
        var from = new DateTime(2014, 1, 1);

        using var result = await MlWorkflow.Workflow.Create(1)
            .Load(DataSource.FromObjects(months))
            .Features(f => f.Log1p("Sales", "log_sales").OneHot("City", "city_code").Drop("City", "Month"))
            .Label("log_sales")
            .SplitBy("Month", testFrom: from)
            .Train(Trainers.Regression.FastTree(trees: 20))
            .RunAsync();

        var tested = result.TestPredictions!.GetColumn<DateTime>("Month").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(tested, Has.Length.EqualTo(months.Count(m => m.Month >= from)).And.All.GreaterThanOrEqualTo(from));
            Assert.That(result.Params["split_test_from"], Is.EqualTo("2014-01-01T00:00:00.0000000"));
            Assert.That(result.Metrics.R2, Is.GreaterThan(0.8));
        });
    }

    [Test]
    public async Task SplitBy_a_Boolean_column_tests_on_its_true_rows_and_does_not_learn_from_it()
    {
        var ml = new MLContext(2);
        var iris = TestDatasets.Iris(ml);
        var marked = ml.Transforms.Expression("is_test", "x => x > 6.3", "Sepal.Length").Fit(iris).Transform(iris);
        var expected = marked.GetColumn<bool>("is_test").Count(t => t);

        using var result = await MlWorkflow.Workflow.Create(2, ml)
            .Load(marked).Label("Species").SplitBy("is_test").Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy()).RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.TestPredictions!.GetColumn<bool>("is_test").ToArray(), Has.Length.EqualTo(expected).And.All.True);
            Assert.That(result.SignatureInputColumns, Does.Not.Contain("is_test"));
            Assert.That(result.Params["split_column"], Is.EqualTo("is_test"));
            Assert.That(result.Params.ContainsKey("split_test_from"), Is.False);
        });
    }

    [Test]
    public async Task SplitBy_a_column_of_the_wrong_type_or_with_gaps_fails_before_training()
    {
        var source = DataSource.Csv(TestDatasets.PathOf("txhousing.csv"));
        var wrongType = await Assert.ThrowsAsync<WorkflowValidationException>(() => SalesForecast(source).SplitBy("city").RunAsync());
        var gaps = await Assert.ThrowsAsync<WorkflowValidationException>(() => SalesForecast(source).SplitBy("inventory", testFrom: 6).RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That(wrongType!.Message, Does.Contain("a Boolean column").And.Contain("'city' is String"));
            Assert.That(gaps!.Message, Does.Contain("have no value in 'inventory'"));
        });
    }

    [Test]
    public async Task CrossValidate_without_refit_scores_the_folds_and_fits_no_model()
    {
        var ml = new MLContext(3);
        using var result = await MlWorkflow.Workflow.Create(3, ml)
            .Load(TestDatasets.BreastCancer(ml)).Label("target").CrossValidate(4, stratify: true, refit: false)
            .Train(Trainers.BinaryClassification.LbfgsLogisticRegression()).RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.FoldMetrics, Has.Count.EqualTo(4));
            Assert.That(result.Metrics.Auc, Is.GreaterThan(0.98));
            Assert.That(result.HasModel, Is.False);
            Assert.That(() => result.Model, Throws.InvalidOperationException.With.Message.Contains("refit: true"));
            Assert.That(result.Params["cv_refit"], Is.EqualTo("false"));
        });
    }

    [Test]
    public async Task Grouped_folds_keep_each_city_in_one_fold()
    {
        using var result = await SalesForecast(DataSource.Csv(TestDatasets.PathOf("txhousing.csv"))).CrossValidate(3, groupBy: "city", refit: false).RunAsync();
        var ml = new MLContext();
        var total = (await DataSource.Csv(TestDatasets.PathOf("txhousing.csv")).LoadAsync(ml)).GetColumn<double>("sales").Count();
        Assert.Multiple(() =>
        {
            Assert.That(result.FoldMetrics, Has.Count.EqualTo(3));
            Assert.That(result.FoldMetrics.Sum(f => f[MetricNames.ExampleCount]), Is.EqualTo(total), "each row is tested in one fold");
            Assert.That(result.Params["split_group"], Is.EqualTo("city"));
        });
    }

    [Test]
    public void Grouped_folds_never_share_a_group_and_stratified_folds_keep_class_shares()
    {
        var cities = File.ReadLines(TestDatasets.PathOf("txhousing.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        var folds = MlWorkflow.Splitting.SplitAssignment.GroupedFolds(cities, 3, seed: 1);
        var species = File.ReadLines(TestDatasets.PathOf("penguins.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        var stratified = MlWorkflow.Splitting.SplitAssignment.StratifiedFolds(species, 5, seed: 1);
        Assert.Multiple(() =>
        {
            Assert.That(cities.Select((c, i) => (c, folds[i])).GroupBy(p => p.c).Select(g => g.Select(p => p.Item2).Distinct().Count()), Is.All.EqualTo(1));
            Assert.That(folds.Distinct().Order(), Is.EqualTo(new[] { 0, 1, 2 }));
            foreach (var group in species.Select((s, i) => (s, stratified[i])).GroupBy(p => p.s))
            {
                var perFold = group.GroupBy(p => p.Item2).Select(g => g.Count()).ToArray();
                Assert.That(perFold.Max() - perFold.Min(), Is.LessThanOrEqualTo(1), group.Key);
            }
        });
    }

    [Test]
    public void Contradictory_test_sets_are_refused_when_asked_for()
    {
        var ml = new MLContext(1);
        var iris = TestDatasets.Iris(ml);
        var workflow = MlWorkflow.Workflow.Create(1, ml).Load(iris).Label("Species");
        Assert.Multiple(() =>
        {
            Assert.That(() => workflow.Split().TestOn(iris), Throws.InstanceOf<WorkflowValidationException>().With.Message.Contains("Split(...) already chooses the test rows"));
            Assert.That(() => workflow.TestOn(iris).CrossValidate(), Throws.InstanceOf<WorkflowValidationException>().With.Property("Step").EqualTo("CrossValidate"));
            Assert.That(() => workflow.CrossValidate().SplitBy("is_test"), Throws.InstanceOf<WorkflowValidationException>());
            Assert.That(() => workflow.Split(0.3, stratify: true, groupBy: "Species"), Throws.InstanceOf<WorkflowValidationException>().With.Message.Contains("not both"));
            Assert.That(workflow.Split(0.3).Split(0.1).GetParams()["test_fraction"], Is.EqualTo("0.1"), "the same call again replaces it");
        });
    }

    [Test]
    public async Task Stratifying_a_regression_fails_before_training()
    {
        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() =>
            SalesForecast(DataSource.Csv(TestDatasets.PathOf("txhousing.csv"))).Split(stratify: true).RunAsync());
        Assert.That(error!.Message, Does.Contain("regression label has no classes"));
    }
}
