using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Workflow;

/// <summary>A run's own resources: cancellation that reaches ML.NET's training, temporary files, logs and traces.</summary>
public sealed class WorkflowRunTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Cancelling_mid_fit_stops_the_training()
    {
        var ml = new MLContext(9);

        // 200,000 boosted trees on 20,000 rows would train for hours: the run ends only if the cancellation reaches Fit.
        var workflow = MlWorkflow.Workflow.Create(9)
            .Load(GeneratedDatasets.Continuous(ml, rows: 20_000, features: 10))
            .Label("y")
            .Train(Trainers.Regression.FastTree(trees: 200_000, leaves: 8));
        using var cancellation = new CancellationTokenSource();
        var fitStatus = new TaskCompletionSource<ActivityStatusCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkflowDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.OperationName == WorkflowDiagnostics.FitActivity)
                {
                    cancellation.CancelAfter(TimeSpan.FromMilliseconds(500));
                }
            },
            ActivityStopped = activity =>
            {
                if (activity.OperationName == WorkflowDiagnostics.FitActivity)
                {
                    fitStatus.TrySetResult(activity.Status);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var run = workflow.RunAsync(cancellation.Token);

        // A hang guard, not a speed figure: without the cancellation reaching Fit this would wait for hours.
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.That(finished, Is.SameAs(run), "the run ended after the cancellation");
        var error = await Assert.CatchAsync<OperationCanceledException>(async () => await run);
        var status = await fitStatus.Task;
        Assert.Multiple(() =>
        {
            Assert.That(error!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(status, Is.EqualTo(ActivityStatusCode.Error), "the fit stage was interrupted, not completed");
        });
    }

    [Test]
    public async Task A_run_leaves_no_temporary_folder_behind()
    {
        var temporary = Path.Combine(_temp.Path, "tmp");
        var client = MlflowClient.Create(Path.Combine(_temp.Path, "mlruns"));
        var stale = Path.Combine(temporary, "plots-left-by-an-old-run");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "residuals.png"), "old");
        Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

        var ml = new MLContext(3);
        var workflow = MlWorkflow.Workflow.Create(3, options: new WorkflowOptions { TemporaryFolder = temporary })
            .Load(ml.Data.LoadFromEnumerable(GeneratedDatasets.MpgLike()))
            .Features(f => f.Drop("cty").OneHot("trans").OneHot("drv"))
            .Label("hwy")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: 10))
            .Evaluate(plots: true);
        string[] plots;
        using (var result = await workflow.Track(client, "temporary-files").RunAsync())
        {
            plots = [.. result.PlotFiles];
            Assert.That(plots, Is.Not.Empty.And.All.StartsWith(temporary));
            Assert.That(plots.All(File.Exists), Is.True, "the plots are there while the result is in use");
            Assert.That(Directory.Exists(stale), Is.False, "a left-over plots folder older than the lifetime is evicted");
            var logged = await client.ListArtifactsAsync(result.Tracking!.RunId, "plots");
            Assert.That(logged, Has.Count.EqualTo(plots.Length), "the tracked run keeps its own copy");
        }

        Assert.That(Directory.EnumerateFileSystemEntries(temporary), Is.Empty, "disposing the result deletes its plots");

        var failing = workflow.Features(f => f.Map<ExplodingRow, ExplodingRow>("explode", (_, _) => throw new InvalidOperationException("boom")));
        await Assert.CatchAsync(async () => await failing.RunAsync());
        Assert.That(Directory.EnumerateFileSystemEntries(temporary), Is.Empty, "a failed run leaves nothing either");
    }

    [Test]
    public async Task Stages_are_logged_and_traced()
    {
        var logger = new ListLogger();
        var stages = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkflowDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                lock (stages)
                {
                    stages.Add(activity.OperationName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var ml = new MLContext(3);
        using var result = await MlWorkflow.Workflow.Create(3, options: new WorkflowOptions { Logger = logger })
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Split(0.3)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stages, Is.SupersetOf(new[]
            {
                WorkflowDiagnostics.LoadActivity, WorkflowDiagnostics.FeaturesActivity, WorkflowDiagnostics.FitActivity,
                WorkflowDiagnostics.EvaluateActivity, WorkflowDiagnostics.RunActivity,
            }));
            Assert.That(stages[^1], Is.EqualTo(WorkflowDiagnostics.RunActivity), "the run ends last");
            Assert.That(logger.Lines, Has.Some.Contains("workflow.fit").And.Some.Contains("finished"));
        });
    }

    public sealed class ExplodingRow
    {
        public float displ { get; set; }
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
}
