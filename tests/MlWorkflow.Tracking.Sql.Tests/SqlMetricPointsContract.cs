using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests;

/// <summary>
/// Metric points through both write paths (SQLite's prepared single-row statements, PostgreSQL's arrays) and read back both
/// ways: the paged history, the one-pass column read (<see cref="IMetricPointStore"/>) and the run's latest value.
/// </summary>
public abstract class SqlMetricPointsContract
{
    private const long T0 = 1_700_000_000_000;
    private TemporaryDirectory _directory = null!;

    protected SqlTrackingStore Store { get; private set; } = null!;

    protected string Root => _directory.Path;

    protected abstract string CreateDatabaseUri();

    [SetUp]
    public void CreateStore()
    {
        _directory = new TemporaryDirectory();
        Store = new SqlTrackingStore(CreateDatabaseUri(), new SqlStoreOptions { DefaultArtifactRoot = _directory.Path });
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<string> NewRunAsync()
    {
        var experimentId = await Store.CreateExperimentAsync("e" + Guid.NewGuid().ToString("N"));
        return (await Store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 })).Info.RunId;
    }

    [Test]
    public async Task Points_read_in_one_pass_equal_the_paged_history_special_values_and_duplicates_included()
    {
        var runId = await NewRunAsync();
        var random = new Random(17);
        var logged = new List<Metric>();
        for (var batch = 0; batch < 5; batch++)
        {
            var points = Enumerable.Range(0, 1000).Select(i => new Metric(
                i % 2 == 0 ? "loss" : "acc",
                (i % 97) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, _ => random.NextDouble() },
                T0 + (batch * 1000) + i,
                (batch * 1000) + i - (i % 50 == 0 ? 7 : 0))).ToList();
            logged.AddRange(points);
            await Store.LogBatchAsync(runId, points, [], []);
        }

        // A retried batch and an exact duplicate inside one batch add nothing (MLflow's primary key).
        await Store.LogBatchAsync(runId, [logged[0], logged[0], logged[2]], [], []);

        var columns = await Store.GetMetricPointsAsync(runId, "loss");
        var paged = new List<Metric>();
        string? token = null;
        do
        {
            var page = await Store.GetMetricHistoryAsync(runId, "loss", 333, token);
            paged.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        var expected = logged.Where(m => m.Key == "loss").ToList();
        Assert.That(paged, Has.Count.EqualTo(expected.Count));
        Assert.That(columns.Count, Is.EqualTo(paged.Count));
        Assert.That(columns.Steps.ToArray(), Is.EqualTo(paged.Select(m => m.Step).ToArray()));
        Assert.That(columns.Timestamps.ToArray(), Is.EqualTo(paged.Select(m => m.Timestamp).ToArray()));
        Assert.That(columns.Values.ToArray().Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(paged.Select(m => BitConverter.DoubleToInt64Bits(m.Value))));
        Assert.That(
            paged.Select(m => (m.Step, m.Timestamp, BitConverter.DoubleToInt64Bits(m.Value))).Order(),
            Is.EqualTo(expected.Select(m => (m.Step, m.Timestamp, BitConverter.DoubleToInt64Bits(m.Value))).Order()),
            "every point once, NaN and ±infinity as logged");
    }

    [Test]
    public async Task The_latest_value_follows_mlflows_step_timestamp_value_order_within_and_across_batches()
    {
        var runId = await NewRunAsync();

        // mlflow-protocol 6.3's sequence, first in one batch, then one point per batch for a second key.
        var sequence = new[] { (1.0, 100L, 5L), (0.5, 200L, 4L), (0.7, 50L, 5L), (0.2, 100L, 5L), (3.0, 100L, 5L), (2.0, 100L, 5L) };
        await Store.LogBatchAsync(runId, sequence.Select(p => new Metric("a", p.Item1, p.Item2, p.Item3)).ToList(), [], []);
        foreach (var (value, timestamp, step) in sequence)
        {
            await Store.LogBatchAsync(runId, [new Metric("b", value, timestamp, step)], [], []);
        }

        var run = await Store.GetRunAsync(runId);

        Assert.That(run.Data.Metrics.Select(m => (m.Key, m.Value, m.Timestamp, m.Step)), Is.EqualTo(new[] { ("a", 3.0, 100L, 5L), ("b", 3.0, 100L, 5L) }));
    }

    [Test]
    public async Task A_metric_never_logged_has_no_points_and_an_unknown_run_is_not_found()
    {
        var runId = await NewRunAsync();

        Assert.That((await Store.GetMetricPointsAsync(runId, "nothing")).Count, Is.Zero);
        var error = await Assert.ThrowsAsync<MlflowException>(() => Store.GetMetricPointsAsync("0123456789abcdef0123456789abcdef", "loss"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task A_batch_refused_for_a_changed_param_writes_none_of_its_points()
    {
        var runId = await NewRunAsync();
        await Store.LogBatchAsync(runId, [], [new Param("p", "1")], []);

        await Assert.CatchAsync<MlflowException>(() => Store.LogBatchAsync(runId, [new Metric("m", 1, T0)], [new Param("p", "2")], []));

        Assert.That((await Store.GetMetricPointsAsync(runId, "m")).Count, Is.Zero);
        Assert.That((await Store.GetRunAsync(runId)).Data.Metrics, Is.Empty);
    }
}
