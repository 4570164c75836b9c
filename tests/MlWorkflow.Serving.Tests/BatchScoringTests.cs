using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Batch;

namespace MlWorkflow.Serving.Tests;

/// <summary>The batch scoring API on real files (issue 13 point 5): output columns, conversions, errors, progress and cancellation.</summary>
public sealed class BatchScoringTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [TestCase(true)]
    [TestCase(false)]
    public async Task Csv_in_parquet_out_appends_the_prediction_to_every_input_column_and_matches_direct_scoring(bool useTreeEvaluator)
    {
        // 9,000 rows: more than two of the tree evaluator's 4,096-row chunks, the last one partial.
        var cars = GeneratedData.Cars(rows: 9_000, seed: 21);
        var input = WriteCars(cars, "cars.csv", extra: true);
        var output = _directory.Combine("scored.parquet");
        var reports = new List<BatchScoringProgress>();
        var result = await BatchScoring.ScoreAsync(ServedModels.Regression, DataSource.Csv(input), output, new BatchScoringOptions { ReportEveryRows = 100, UseTreeEvaluator = useTreeEvaluator }, new SynchronousProgress(reports.Add));

        Assert.That(result.Rows, Is.EqualTo(9_000));
        Assert.That(result.Columns, Is.EqualTo(new[] { "id", "displ", "cyl", "trans", "drv", "hwy", "prediction" }));
        Assert.That(reports.Select(r => r.Rows), Is.EqualTo(Enumerable.Range(1, 90).Select(i => i * 100L)));
        var view = await DataSource.Parquet(output).LoadAsync(new MLContext(1));
        var predictions = view.GetColumn<float>("prediction").Select(p => (double)p).ToArray();
        var ids = view.GetColumn<int>("id").ToArray();
        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 9_000)));
        Assert.That(predictions, Is.EqualTo(Direct(cars)).Within(1e-5));
    }

    [Test]
    public async Task Kept_columns_come_in_the_order_asked_and_probabilities_follow_the_label()
    {
        var loans = GeneratedData.Loans(rows: 50, seed: 8);
        var input = _directory.Combine("loans.csv");
        await File.WriteAllLinesAsync(input, new[] { "debt,income" }.Concat(loans.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.debt},{l.income}"))));
        var model = await ServedModels.Client.LoadMlnetModelAsync(ServedModels.BinaryRunUri);
        var output = _directory.Combine("loans-scored.csv");
        var result = await BatchScoring.ScoreAsync(model, DataSource.Csv(input), output, new BatchScoringOptions { KeepColumns = ["income"], Probabilities = true, PredictionColumn = "approved_hat" });
        var lines = await File.ReadAllLinesAsync(output);
        Assert.That(result.Columns, Is.EqualTo(new[] { "income", "approved_hat", "probability" }));
        Assert.That(lines[0], Is.EqualTo("income,approved_hat,probability"));
        Assert.That(lines, Has.Length.EqualTo(51));
        var fields = lines[1].Split(',');
        Assert.That(fields[1], Is.EqualTo("true").Or.EqualTo("false"));
        Assert.That(double.Parse(fields[2], CultureInfo.InvariantCulture), Is.InRange(0.0, 1.0));
        Assert.That(fields[1] == "true", Is.EqualTo(double.Parse(fields[2], CultureInfo.InvariantCulture) >= 0.5));
    }

    [Test]
    public async Task A_missing_column_is_named_before_anything_is_written()
    {
        var input = _directory.Combine("no-drv.csv");
        await File.WriteAllTextAsync(input, "displ,cyl,trans\n1.8,4,manual\n");
        var output = _directory.Combine("out.parquet");
        var error = await Assert.ThrowsAsync<BatchScoringException>(() => BatchScoring.ScoreAsync(ServedModels.Regression, DataSource.Csv(input), output));
        Assert.That(error!.Message, Does.Contain("lacks column ['drv']").And.Contain("The input's columns: ['displ', 'cyl', 'trans']"));
        Assert.That(Directory.GetFiles(_directory.Path, "out.parquet*"), Is.Empty);
    }

    [Test]
    public async Task Text_for_a_number_column_is_refused_and_a_kept_column_that_is_not_there_is_named()
    {
        var input = _directory.Combine("text.csv");
        await File.WriteAllTextAsync(input, "displ,cyl,trans,drv\nbig,4,manual,f\n");
        var error = await Assert.ThrowsAsync<BatchScoringException>(() => BatchScoring.ScoreAsync(ServedModels.Regression, DataSource.Csv(input), _directory.Combine("out.csv")));
        Assert.That(error!.Message, Does.Contain("Column 'displ' holds text values").And.Contain("float"));

        var good = WriteCars(GeneratedData.Cars(rows: 3), "good.csv", extra: false);
        var view = await DataSource.Csv(good).LoadAsync(new MLContext(1));
        var keep = Assert.Throws<BatchScoringException>(() => BatchScoring.Transform(ServedModels.Regression, view, new BatchScoringOptions { KeepColumns = ["colour"] }));
        Assert.That(keep!.Message, Does.Contain("'colour'"));
        var clash = Assert.Throws<BatchScoringException>(() => BatchScoring.Transform(ServedModels.Regression, view, new BatchScoringOptions { PredictionColumn = "cyl" }));
        Assert.That(clash!.Message, Does.Contain("two columns named ['cyl']"));
        var probabilities = Assert.Throws<BatchScoringException>(() => BatchScoring.Transform(ServedModels.Regression, view, new BatchScoringOptions { Probabilities = true }));
        Assert.That(probabilities!.Message, Does.Contain("regression model"));
    }

    [Test]
    public async Task Integer_columns_are_widened_for_the_model_and_kept_as_integers()
    {
        // cyl is written as whole numbers, so the CSV source reads it as int32; the model wants float.
        var cars = GeneratedData.Cars(rows: 40, seed: 5);
        var input = WriteCars(cars, "ints.csv", extra: false);
        var view = BatchScoring.Transform(ServedModels.Regression, await DataSource.Csv(input).LoadAsync(new MLContext(1)));
        Assert.That(view.Schema["cyl"].Type.RawType, Is.EqualTo(typeof(int)));
        Assert.That(view.GetColumn<float>("prediction").Select(p => (double)p), Is.EqualTo(Direct(cars)).Within(1e-5));
    }

    [Test]
    public async Task Cancelling_leaves_no_output_behind()
    {
        var input = WriteCars(GeneratedData.Cars(rows: 2_000), "cancel.csv", extra: false);
        var output = _directory.Combine("cancelled.parquet");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Rows >= 500)
            {
                cancel.Cancel();
            }
        });
        await Assert.CatchAsync<OperationCanceledException>(() => BatchScoring.ScoreAsync(ServedModels.Regression, DataSource.Csv(input), output, new BatchScoringOptions { ReportEveryRows = 250 }, progress, cancel.Token));
        Assert.That(Directory.GetFiles(_directory.Path, "cancelled*"), Is.Empty);
    }

    [Test]
    public async Task An_output_that_is_neither_parquet_nor_csv_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BatchScoring.ScoreAsync(ServedModels.Regression, DataSource.Csv(_directory.Combine("x.csv")), _directory.Combine("out.json")));
        Assert.That(error!.Message, Does.Contain("out.json"));
    }

    private static double[] Direct(IEnumerable<GeneratedData.Car> cars) =>
        ServedModels.Regression.Predict<GeneratedData.CarInput, GeneratedData.ScorePrediction>(cars.Select(c => new GeneratedData.CarInput { displ = c.displ, cyl = c.cyl, trans = c.trans, drv = c.drv }))
            .Select(p => (double)p.Score).ToArray();

    private string WriteCars(IEnumerable<GeneratedData.Car> cars, string name, bool extra)
    {
        var path = _directory.Combine(name);
        var text = new StringBuilder(extra ? "id,displ,cyl,trans,drv,hwy\n" : "displ,cyl,trans,drv\n");
        var id = 0;
        foreach (var c in cars)
        {
            var prefix = extra ? string.Create(CultureInfo.InvariantCulture, $"{id++},") : string.Empty;
            var suffix = extra ? string.Create(CultureInfo.InvariantCulture, $",{c.hwy:R}") : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{prefix}{c.displ:R},{c.cyl:R},{c.trans},{c.drv}{suffix}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Reports on the scoring thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<BatchScoringProgress> report) : IProgress<BatchScoringProgress>
    {
        public void Report(BatchScoringProgress value) => report(value);
    }
}
