using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>Log-batch is one transaction; exact duplicate metric points are harmless (MLflow's primary key); search orders in SQL as MLflow does.</summary>
[TestFixture]
public sealed class SqliteLoggingTests
{
    private const long T0 = 1_700_000_000_000;
    private TemporaryDirectory _directory = null!;
    private SqlTrackingStore _store = null!;
    private string _path = null!;

    [SetUp]
    public void CreateStore()
    {
        _directory = new TemporaryDirectory();
        _path = _directory.Combine("mlflow.db");
        _store = new SqlTrackingStore(SqliteUri.For(_path), new SqlStoreOptions { DefaultArtifactRoot = _directory.Path });
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<(string ExperimentId, string RunId)> NewRunAsync(string experiment = "e", long start = T0)
    {
        var id = (await _store.GetExperimentByNameAsync(experiment))?.ExperimentId ?? await _store.CreateExperimentAsync(experiment);
        var run = await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = id, StartTime = start });
        return (id, run.Info.RunId);
    }

    [Test]
    public async Task A_batch_refused_for_a_changed_param_writes_none_of_its_metrics_tags_or_params()
    {
        var (_, runId) = await NewRunAsync();
        await _store.LogBatchAsync(runId, [], [new Param("p", "1")], []);

        await Assert.CatchAsync<MlflowException>(() => _store.LogBatchAsync(runId, [new Metric("m", 1, T0)], [new Param("q", "new"), new Param("p", "2")], [new RunTag("t", "x")]));
        var run = await _store.GetRunAsync(runId);

        Assert.That(run.Data.Metrics, Is.Empty);
        Assert.That(run.Data.GetTag("t"), Is.Null);
        Assert.That(run.Data.Params.Select(p => p.Key), Is.EqualTo(new[] { "p" }));
        Assert.That(Count("SELECT COUNT(*) FROM metrics"), Is.Zero);
    }

    [Test]
    public async Task Exact_duplicate_metric_points_are_stored_once_and_a_retried_batch_doubles_nothing()
    {
        var (_, runId) = await NewRunAsync();
        Metric[] batch = [new Metric("loss", 0.5, T0, 1), new Metric("loss", 0.5, T0, 1), new Metric("loss", 0.4, T0 + 1, 2)];

        await _store.LogBatchAsync(runId, batch, [], []);
        await _store.LogBatchAsync(runId, batch, [], []);
        var history = await _store.GetMetricHistoryAsync(runId, "loss");

        Assert.That(history.Items.Select(m => m.Value), Is.EqualTo(new[] { 0.5, 0.4 }));
        Assert.That(Count("SELECT COUNT(*) FROM metrics"), Is.EqualTo(2));
    }

    [Test]
    public async Task Latest_metric_follows_mlflows_step_timestamp_value_order()
    {
        var (_, runId) = await NewRunAsync();

        // mlflow-protocol 6.3's observed sequence for key 'a'.
        foreach (var (value, timestamp, step) in new[] { (1.0, 100L, 5L), (0.5, 200L, 4L), (0.7, 50L, 5L), (0.2, 100L, 5L), (3.0, 100L, 5L) })
        {
            await _store.LogBatchAsync(runId, [new Metric("a", value, timestamp, step)], [], []);
        }

        var latest = (await _store.GetRunAsync(runId)).Data.GetMetric("a")!;

        Assert.That((latest.Value, latest.Timestamp, latest.Step), Is.EqualTo((3.0, 100L, 5L)));
    }

    [Test]
    public async Task Ordering_by_a_metric_puts_nan_then_missing_last_in_both_directions()
    {
        var runs = new Dictionary<string, string>();
        foreach (var (name, value) in new (string, double?)[] { ("neg", -1), ("two", 2), ("inf", double.PositiveInfinity), ("nan", double.NaN), ("none", null) })
        {
            var (_, runId) = await NewRunAsync();
            runs[runId] = name;
            if (value is { } v)
            {
                await _store.LogBatchAsync(runId, [new Metric("m", v, T0)], [], []);
            }
        }

        var experimentId = (await _store.GetExperimentByNameAsync("e"))!.ExperimentId;
        var ascending = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], OrderBy = ["metrics.m ASC"] });
        var descending = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], OrderBy = ["metrics.m DESC"] });

        Assert.That(ascending.Items.Select(r => runs[r.Info.RunId]), Is.EqualTo(new[] { "neg", "two", "inf", "nan", "none" }));
        Assert.That(descending.Items.Select(r => runs[r.Info.RunId]), Is.EqualTo(new[] { "inf", "two", "neg", "nan", "none" }));
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
